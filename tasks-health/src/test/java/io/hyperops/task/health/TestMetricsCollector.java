package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.task.health.MetricsSnapshot.Cpu;
import io.hyperops.task.health.MetricsSnapshot.Memory;
import io.hyperops.task.health.MetricsSnapshot.Vms;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class TestMetricsCollector
{
    private static final OffsetDateTime TIME = OffsetDateTime.parse("2025-06-01T14:00:00+02:00");

    @TempDir
    Path folder;

    @Test
    @Tag("libvirt")
    void readsHostAndTestDriver()
            throws IOException
    {
        MetricsCollector.Reading reading = collector(TestingLibvirtConnection.testDriver()).collect(TIME);

        MetricsSnapshot snapshot = reading.snapshot();
        assertThat(reading.vmProblem()).isEmpty();
        assertThat(snapshot.timestamp()).isEqualTo("2025-06-01T14:00:00+02:00");
        assertThat(snapshot.hostname()).isEqualTo("hv-test-01");
        assertThat(snapshot.cpu()).isEqualTo(new Cpu(4, List.of(0.52, 0.58, 0.61)));
        assertThat(snapshot.memory()).isEqualTo(new Memory(15936, 9000, 6936));
        assertThat(snapshot.vms()).isEqualTo(new Vms(1, 1, 0));
        assertThat(snapshot.disk().totalGb()).isPositive();
        // three separate reads, each rounded to 0.01 GB: the roundings add up to one step, and a file written or deleted between the reads moves the figures
        assertThat(snapshot.disk().usedGb() + snapshot.disk().availableGb()).isLessThanOrEqualTo(snapshot.disk().totalGb() + 0.02);
        assertThat(snapshot.disk().usedPercent()).isBetween(0.0, 100.0);
    }

    @Test
    void keepsHostFiguresWhenLibvirtIsUnavailable()
            throws IOException
    {
        String message = "libvirt at qemu:///system does not answer; start it with 'systemctl start libvirtd'";

        MetricsCollector.Reading reading = collector(TestingLibvirtConnection.unavailable(message)).collect(TIME);

        assertThat(reading.snapshot().vms()).isNull();
        assertThat(reading.snapshot().memory()).isEqualTo(new Memory(15936, 9000, 6936));
        assertThat(reading.vmProblem()).contains(message);
    }

    @Test
    @Tag("libvirt")
    void reportsWhatLibvirtSaidWhenListingFails()
            throws IOException
    {
        MetricsCollector.Reading reading = collector(TestingLibvirtConnection.broken()).collect(TIME);

        assertThat(reading.snapshot().vms()).isNull();
        assertThat(reading.vmProblem()).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("listing the domains of test:///default failed: ")
                .containsIgnoringCase("invalid connection"));
    }

    private MetricsCollector collector(LibvirtConnection libvirt)
            throws IOException
    {
        ProcFiles proc = new ProcFiles(TestingProc.create(folder.resolve("proc")));
        HostPaths paths = new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
        return new MetricsCollector(proc, paths, libvirt);
    }
}
