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

import static org.assertj.core.api.Assertions.assertThat;

final class TestDiskFileWriter
{
    private static final int MIB = 1 << 20;

    @Test
    void aFileLeftByAStoppedRestoreDoesNotShowThroughTheHolesOfTheNextOne(@TempDir Path folder)
            throws Exception
    {
        // what a stopped restore of another backup left: 6 MiB of data, longer than the disk restored now
        Path raw = folder.resolve("vda.qcow2.restore.raw");
        byte[] stale = new byte[6 * MIB];
        new Random(1).nextBytes(stale);
        Files.write(raw, stale);
        // 1 MiB of data, 2 MiB of zeros (a hole, not written), 1 MiB of data
        byte[] disk = new byte[4 * MIB];
        Random random = new Random(2);
        byte[] data = new byte[MIB];
        random.nextBytes(data);
        System.arraycopy(data, 0, disk, 0, MIB);
        random.nextBytes(data);
        System.arraycopy(data, 0, disk, 3 * MIB, MIB);

        DiskFileWriter.writeSparse(new ByteArrayInputStream(disk), disk.length, raw, BackupManifest.FORMAT_VERSION, Throttle.unlimited());

        assertThat(Files.size(raw)).isEqualTo(disk.length);
        assertThat(Arrays.equals(Files.readAllBytes(raw), disk)).as("the restored file holds the disk and nothing of the stale one").isTrue();
    }
}
