package io.hyperops.testing;

import io.hyperops.testing.TestingGuests.Guest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("libvirt")
final class TestTestingGuests
{
    @Test
    void createsRunningAndStoppedGuestsAndRemovesThemOnClose()
            throws Exception
    {
        TestingGuests guests = TestingGuests.connect();
        Guest running;
        Guest stopped;
        ProcessHandle qemu;
        try {
            running = guests.createRunning("running");
            stopped = guests.createStopped("stopped");

            assertThat(running.name()).startsWith("hyperops-test-running-");
            assertThat(stopped.name()).startsWith("hyperops-test-stopped-");
            assertThat(guests.domain(running).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
            assertThat(guests.domain(stopped).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_SHUTOFF);
            assertThat(guests.domain(running).getXMLDesc(0)).contains("<domain type='" + guests.domainType() + "'");
            assertThat(running.disk()).isRegularFile();
            assertThat(stopped.disk()).isRegularFile();

            qemu = ProcessHandle.of(guests.qemuPid(running)).orElseThrow();
            assertThat(qemu.info().command()).hasValueSatisfying(command -> assertThat(command).contains("qemu-system"));
            assertThatThrownBy(() -> guests.qemuPid(stopped))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not running");
        }
        finally {
            guests.close();
        }

        assertThat(domainNames()).doesNotContain(running.name(), stopped.name());
        assertThat(running.disk()).doesNotExist();
        assertThat(stopped.disk()).doesNotExist();
        assertThat(qemu.isAlive()).isFalse();
    }

    @Test
    void closeRemovesGuestWhoseQemuWasKilled()
            throws Exception
    {
        Guest guest;
        try (TestingGuests guests = TestingGuests.connect()) {
            guest = guests.createRunning("killed");
            ProcessHandle qemu = ProcessHandle.of(guests.qemuPid(guest)).orElseThrow();
            assertThat(qemu.destroyForcibly()).isTrue();
            qemu.onExit().join();
        }
        assertThat(domainNames()).doesNotContain(guest.name());
    }

    @Test
    void removeStaleRemovesGuestsOfExitedProcessesOnly()
            throws Exception
    {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        GuestOwner deadOwner = new GuestOwner(exited.pid(), 0);

        Path folder = Files.createTempDirectory(TestingGuests.NAME_PREFIX);
        String staleName = TestingGuests.NAME_PREFIX + "stale-" + exited.pid();
        Path staleDisk = folder.resolve(staleName + ".qcow2");
        QemuImg.createQcow2(staleDisk, "1G");

        try (TestingGuests guests = TestingGuests.connect()) {
            Guest ours = guests.createStopped("ours");
            define(GuestXml.domain(staleName, "qemu", staleDisk, deadOwner));
            assertThat(domainNames()).contains(staleName, ours.name());

            TestingGuests.removeStale();

            assertThat(domainNames()).doesNotContain(staleName).contains(ours.name());
            assertThat(folder).doesNotExist();
        }
    }

    @Test
    void rejectsLabelThatWouldMakeAnAwkwardName()
            throws Exception
    {
        try (TestingGuests guests = TestingGuests.connect()) {
            assertThatThrownBy(() -> guests.createStopped("Has Space"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'Has Space'");
        }
    }

    @Test
    @ExtendWith(TestingGuestsExtension.class)
    void extensionHandsOutGuests(TestingGuests guests)
            throws Exception
    {
        Guest guest = guests.createRunning("extension");

        assertThat(guests.domain(guest).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
    }

    private static List<String> domainNames()
            throws LibvirtException
    {
        Connect connect = new Connect(TestingGuests.URI);
        try {
            List<String> names = new ArrayList<>();
            for (Domain domain : connect.listAllDomains(0)) {
                names.add(domain.getName());
            }
            return names;
        }
        finally {
            connect.close();
        }
    }

    private static void define(String domainXml)
            throws LibvirtException, IOException
    {
        Connect connect = new Connect(TestingGuests.URI);
        try {
            connect.domainDefineXML(domainXml);
        }
        finally {
            connect.close();
        }
    }
}
