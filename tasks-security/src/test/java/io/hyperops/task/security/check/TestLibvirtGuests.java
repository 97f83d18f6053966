package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingLibvirtConnection;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuestsExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Guest disks read from the real libvirtd's XML and the real image files, running and stopped guests alike. */
@Tag("libvirt")
@ExtendWith(TestingGuestsExtension.class)
final class TestLibvirtGuests
{
    @Test
    void aRealGuestsUnencryptedDiskIsFoundThroughLibvirt(TestingGuests testingGuests)
            throws Exception
    {
        TestingGuests.Guest running = testingGuests.createRunning("security-running");
        TestingGuests.Guest stopped = testingGuests.createStopped("security-stopped");
        LibvirtGuests guests = new LibvirtGuests(new TestingLibvirtConnection(TestingGuests.URI));

        assertThat(guests.guests()).filteredOn(guest -> guest.name().equals(running.name())).singleElement()
                .satisfies(guest -> assertThat(guest.disks()).containsExactly(running.disk()));
        // the running guest's QEMU holds a write lock on its disk: qemu-img must read it shared
        Finding finding = new GuestChecks(new HostRoot(Path.of("/")), guests, new QemuImg(Duration.ofSeconds(30))).diskEncryption(List.of());

        assertThat(finding.severity()).isEqualTo(CheckStatus.WARN);
        assertThat(finding.evidence()).contains(running.disk() + " (qcow2, not encrypted)", stopped.disk() + " (qcow2, not encrypted)");
        assertThat(guests.networkXml("hyperops-test-no-such-network")).isEmpty();
    }
}
