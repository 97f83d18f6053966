package io.hyperops.task.health;

import io.hyperops.task.health.MetricsSnapshot.Cpu;
import io.hyperops.task.health.MetricsSnapshot.Disk;
import io.hyperops.task.health.MetricsSnapshot.Memory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMetricsSnapshot
{
    private static final long GB = 1024L * 1024 * 1024;

    @Test
    void countsMemoryInMegabytesAsFreeDoes()
    {
        assertThat(Memory.fromKilobytes(16318480, 9216000)).isEqualTo(new Memory(15936, 9000, 6936));
    }

    @Test
    void countsDiskAsDfDoes()
    {
        // 100 GB disk, 40 GB used, 5 GB reserved for root: df shows 40 used, 55 available and 43%, rounded up from 42.1
        Disk disk = Disk.fromBytes(100 * GB, 60 * GB, 55 * GB);

        assertThat(disk).isEqualTo(new Disk(100.0, 40.0, 55.0, 42.1));
    }

    @Test
    void roundsGigabytesToHundredths()
    {
        Disk disk = Disk.fromBytes(GB + GB / 3, GB, GB);

        assertThat(disk).isEqualTo(new Disk(1.33, 0.33, 1.0, 25.0));
    }

    @Test
    void emptyFileSystemIsZeroPercentUsed()
    {
        assertThat(Disk.fromBytes(0, 0, 0)).isEqualTo(new Disk(0, 0, 0, 0));
    }

    @Test
    void cpuNeedsThreeLoadAverages()
    {
        assertThatThrownBy(() -> new Cpu(4, List.of(0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loadAvg needs the 1, 5 and 15 minute averages, got [0.5]");
    }
}
