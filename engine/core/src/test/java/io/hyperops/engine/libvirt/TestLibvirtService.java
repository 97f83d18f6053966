package io.hyperops.engine.libvirt;

import io.hyperops.engine.TestingEngine;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.spi.LibvirtUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestLibvirtService
{
    @TempDir
    Path folder;

    @Test
    void connectsOnFirstUseToTheConfiguredUri()
            throws Exception
    {
        try (LibvirtService libvirt = service("test:///default")) {
            int domains = libvirt.call(connect -> connect.listAllDomains(0).length);
            String uri = libvirt.call(connect -> connect.getURI());
            assertThat(domains).isEqualTo(1);
            assertThat(uri).isEqualTo("test:///default");
        }
    }

    @Test
    void anUnreachableDaemonGivesAnErrorThatSaysWhatToDo()
            throws Exception
    {
        try (LibvirtService libvirt = service("qemu+unix:///system?socket=" + folder.resolve("no-such.sock"))) {
            assertThatThrownBy(() -> libvirt.call(connect -> connect.getURI()))
                    .isInstanceOf(LibvirtUnavailableException.class)
                    .hasMessageContaining("cannot connect to libvirt at qemu+unix:///system")
                    .hasMessageContaining("Is libvirtd running?");
            // Right after a failure it backs off instead of hammering a dead daemon.
            assertThatThrownBy(() -> libvirt.call(connect -> connect.getURI()))
                    .isInstanceOf(LibvirtUnavailableException.class)
                    .hasMessageContaining("next attempt in");
        }
    }

    private LibvirtService service(String uri)
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Files.writeString(config, Files.readString(config).replace("test:///default", uri));
        return new LibvirtService(new CurrentConfig(TestingEngine.load(config)), Clock.systemUTC());
    }
}
