package io.hyperops.dist;

import io.hyperops.testing.TestingGuests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `hyperops run-job metrics` from the assembled tree against the real libvirt daemon with real QEMU
 * guests: the file it writes parses with jq and counts exactly the guests this test made.
 */
@Tag("libvirt")
final class TestMetricsOnRealLibvirt
{
    @TempDir
    Path folder;

    @Test
    void metricsCountsTheTestGuests()
            throws Exception
    {
        try (TestingGuests guests = TestingGuests.connect()) {
            // Guests of others on a shared daemon (none in CI) count too: measure them, then add ours.
            int otherRunning = count("--state-running");
            int otherStopped = count("--state-shutoff");
            guests.createRunning("metrics-a");
            guests.createRunning("metrics-b");
            guests.createStopped("metrics-c");

            Path config = folder.resolve("hyperops.json");
            Files.writeString(config, """
                    { "engine": { "libvirt_uri": "qemu:///system", "data_dir": "%s" } }
                    """.formatted(folder.resolve("data")));
            Installation.Result result = Installation.hyperops("run-job", "metrics", "--config", config.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("success").contains("VMs: " + (otherRunning + otherStopped + 3) + ", " + (otherRunning + 2) + " running, " + (otherStopped + 1) + " stopped");

            Path metrics;
            try (Stream<Path> files = Files.list(folder.resolve("data"))) {
                metrics = files.filter(file -> file.getFileName().toString().matches("metrics-\\d{8}-\\d{6}\\.json")).findFirst().orElseThrow();
            }
            Installation.Result counts = Installation.run(List.of("jq", "-r", "[.vms.total, .vms.running, .vms.stopped, (.cpu.total|type), (.disk.used_percent|type)] | @csv", metrics.toString()));
            assertThat(counts.exitCode()).as(counts.toString()).isZero();
            assertThat(counts.out().trim()).isEqualTo((otherRunning + otherStopped + 3) + "," + (otherRunning + 2) + "," + (otherStopped + 1) + ",\"number\",\"number\"");
        }
    }

    private static int count(String state)
            throws Exception
    {
        Installation.Result names = Installation.run(List.of("virsh", "-c", "qemu:///system", "list", "--name", state));
        assertThat(names.exitCode()).as(names.toString()).isZero();
        return (int) names.out().lines().filter(line -> !line.isBlank()).count();
    }
}
