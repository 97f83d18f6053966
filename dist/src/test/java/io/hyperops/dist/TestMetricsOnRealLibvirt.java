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
        Installation.Result before = Installation.run(List.of("virsh", "-c", "qemu:///system", "list", "--all", "--name"));
        assertThat(before.out().isBlank()).as("the daemon has no other guests, or the counts below mean nothing: %s", before.out()).isTrue();

        try (TestingGuests guests = TestingGuests.connect()) {
            guests.createRunning("metrics-a");
            guests.createRunning("metrics-b");
            guests.createStopped("metrics-c");

            Path config = folder.resolve("hyperops.json");
            Files.writeString(config, """
                    { "engine": { "libvirt_uri": "qemu:///system", "data_dir": "%s" } }
                    """.formatted(folder.resolve("data")));
            Installation.Result result = Installation.hyperops("run-job", "metrics", "--config", config.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains("success").contains("VMs: 3, 2 running, 1 stopped");

            Path metrics;
            try (Stream<Path> files = Files.list(folder.resolve("data"))) {
                metrics = files.filter(file -> file.getFileName().toString().matches("metrics-\\d{8}-\\d{6}\\.json")).findFirst().orElseThrow();
            }
            Installation.Result counts = Installation.run(List.of("jq", "-r", "[.vms.total, .vms.running, .vms.stopped, (.cpu.total|type), (.disk.used_percent|type)] | @csv", metrics.toString()));
            assertThat(counts.exitCode()).as(counts.toString()).isZero();
            assertThat(counts.out().trim()).isEqualTo("3,2,1,\"number\",\"number\"");
        }
    }
}
