package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Throttle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A restore's disk writes pass through bandwidth_limit; the holes it leaves cost nothing. On a fake clock. */
final class TestRestoreThrottle
{
    private static final int MIB = 1 << 20;

    private long now;
    private long slept;

    @Test
    void dataBlocksAreThrottledAndHolesAreFree(@TempDir Path folder)
            throws Exception
    {
        // 4 MiB of data, then 8 MiB of zeros, then 4 MiB of data
        byte[] disk = new byte[16 * MIB];
        Random random = new Random(5);
        byte[] data = new byte[4 * MIB];
        random.nextBytes(data);
        System.arraycopy(data, 0, disk, 0, data.length);
        random.nextBytes(data);
        System.arraycopy(data, 0, disk, 12 * MIB, data.length);
        Throttle throttle = new Throttle(MIB, () -> now, nanos -> {
            slept += nanos;
            now += nanos;
        });
        Path raw = folder.resolve("vda.raw");

        DiskFileWriter.writeSparse(new ByteArrayInputStream(disk), disk.length, raw, BackupManifest.FORMAT_VERSION, throttle);

        // 8 MiB written at 1 MiB/s, the first second's worth free: 7 s; the 8 MiB hole is not counted
        assertThat(slept).isEqualTo(TimeUnit.SECONDS.toNanos(7));
        assertThat(Arrays.equals(Files.readAllBytes(raw), disk)).isTrue();
    }
}
