package io.hyperops.dist;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** install.sh from the assembled tree, into a prefix of its own, twice (an upgrade must not mix versions). */
@Tag("install")
final class TestInstallScript
{
    @TempDir
    Path prefix;

    @Test
    void installsALauncherThatRunsAndAUnitPointingAtIt()
            throws Exception
    {
        for (int round = 1; round <= 2; round++) {
            Installation.Result install = Installation.run(List.of(Installation.home().resolve("install.sh").toString(), prefix.toString()));
            assertThat(install.exitCode()).as("round %d: %s", round, install).isZero();
        }

        Installation.Result version = Installation.run(List.of(prefix.resolve("bin/hyperops").toString(), "--version"));
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("hyperops ");
        try (var jars = Files.list(prefix.resolve("lib/hyperops/lib"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()).filter(name -> name.startsWith("hyperops-engine") && name.endsWith(".jar")).count()).isEqualTo(1);
        }
        assertThat(Path.of("/etc/systemd/system/hyperops.service")).content()
                .contains("ExecStart=" + prefix.resolve("bin/hyperops") + " daemon");
        assertThat(Path.of("/etc/hypervisor/hyperops.json")).isRegularFile();
        Files.deleteIfExists(Path.of("/etc/systemd/system/hyperops.service"));
    }
}
