package io.hyperops.engine.libvirt;

import io.hyperops.engine.Await;
import io.hyperops.engine.TestingEngine;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.testing.TestingGuests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.event.DomainEventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real daemon: a libvirtd restart is survived, and domain events keep coming after it. */
@Tag("libvirt")
final class TestLibvirtReconnect
{
    @TempDir
    Path folder;

    @Test
    void callsAndEventsSurviveALibvirtdRestart()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Files.writeString(config, Files.readString(config).replace("test:///default", "qemu:///system"));
        List<String> events = new CopyOnWriteArrayList<>();
        try (LibvirtService libvirt = new LibvirtService(new CurrentConfig(TestingEngine.load(config)), Clock.systemUTC())) {
            libvirt.addLifecycleListener((domain, event) -> {
                try {
                    events.add(domain.getName() + ":" + event.getType());
                }
                catch (org.libvirt.LibvirtException e) {
                    events.add("unnamed:" + event.getType());
                }
                return 0;
            });
            String uri = libvirt.call(connect -> connect.getURI());
            assertThat(uri).isEqualTo("qemu:///system");

            restartLibvirtd();

            // The first calls may land in the backoff window; within a few seconds the service is back.
            Await.until("libvirt calls to work again", Duration.ofSeconds(60), () -> answers(libvirt));
            // Opened after the restart: the fixture's own connection does not reconnect.
            try (TestingGuests guests = TestingGuests.connect()) {
                TestingGuests.Guest guest = guests.createRunning("reconnect");
                Await.until("a started event for the new guest", Duration.ofSeconds(30), () -> events.contains(guest.name() + ":" + DomainEventType.STARTED));
            }
        }
    }

    private static boolean answers(LibvirtService libvirt)
    {
        try {
            return libvirt.call(connect -> connect.listAllDomains(0)) != null;
        }
        catch (LibvirtUnavailableException | org.libvirt.LibvirtException e) {
            return false;
        }
    }

    // Stops libvirtd the way a package upgrade does, then starts it again; the daemon set up by scripts/setup-testbed.sh.
    private static void restartLibvirtd()
            throws Exception
    {
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        List<String> command = systemd
                ? List.of("systemctl", "restart", "libvirtd")
                : List.of("sh", "-c", "pkill -TERM -x libvirtd; for i in $(seq 100); do pgrep -x libvirtd >/dev/null || break; sleep 0.1; done; libvirtd -d");
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
