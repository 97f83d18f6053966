package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.PageCache;
import io.hyperops.task.backup.archive.Throttle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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

    @Test
    void runsOfDataGoToTheDiskPastThePageCacheAndHolesStayHoles(@TempDir Path folder)
            throws Exception
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with a page cache apart from the file's own memory").isNotEqualTo("tmpfs");
        // a 64 KiB island, a run across a chunk's end, a hole of 3 MiB, and data up to an end off the 4 KiB alignment
        byte[] disk = new byte[6 * MIB + 1000];
        Random random = new Random(3);
        fill(disk, random, 128 << 10, 64 << 10);
        fill(disk, random, MIB - (64 << 10), 192 << 10);
        fill(disk, random, 5 * MIB + (512 << 10), disk.length - (5 * MIB + (512 << 10)));
        Path raw = Files.createFile(folder.resolve("vda.raw"));

        String checksum = DiskFileWriter.writeSparse(new ByteArrayInputStream(disk), disk.length, raw, BackupManifest.FORMAT_VERSION, Throttle.unlimited());

        // before anything reads it back: at most the last page, whose tail past the length the truncation zeroes through the cache
        assertThat(PageCache.cachedPages(raw, 0, 0)).as("pages of the restored disk in the page cache").isLessThanOrEqualTo(1);
        assertThat(Files.size(raw)).isEqualTo(disk.length);
        assertThat(Long.parseLong(TestingDisks.run("stat", "-c", "%b", raw.toString()).trim()) * 512).as("allocated bytes").isLessThan(2L * MIB);
        assertThat(Arrays.equals(Files.readAllBytes(raw), disk)).isTrue();
        ByteArrayInputStream again = new ByteArrayInputStream(disk);
        assertThat(DiskFileWriter.writeSparse(again, disk.length, folder.resolve("copy.raw"), BackupManifest.FORMAT_VERSION, Throttle.unlimited())).isEqualTo(checksum);
    }

    private static void fill(byte[] disk, Random random, int offset, int length)
    {
        byte[] data = new byte[length];
        random.nextBytes(data);
        System.arraycopy(data, 0, disk, offset, length);
    }
}
