package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Write-behind against the real kernel: the page cache's own count of dirty and under-writeback pages
 * of a file ({@code cachestat(2)}, Linux 6.5 and later) shows the steps behind the writer on disk.
 */
final class TestWriteBehind
{
    private static final int STEPS = WriteBehind.LAG + 3;

    @TempDir
    Path folder;

    @Test
    void stepsMoreThanLagBehindTheWriterAreOnDiskWhileTheFileIsStillBeingWritten()
            throws IOException
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with writeback").isNotEqualTo("tmpfs");
        Path file = folder.resolve("archive.partial");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                WriteBehind writeBehind = WriteBehind.of(file)) {
            for (int step = 0; step < STEPS; step++) {
                writeStep(channel);
                writeBehind.written(channel.size());
            }

            long waitedFor = (STEPS - WriteBehind.LAG) * WriteBehind.STEP;
            assertThat(PageCache.pendingPages(file, 0, waitedFor)).as("dirty or writeback pages of the steps waited for").isZero();
        }
    }

    @Test
    void withoutItThePageCacheHoldsTheWholeFileDirty()
            throws IOException
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with writeback").isNotEqualTo("tmpfs");
        Path file = folder.resolve("archive.partial");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int step = 0; step < STEPS; step++) {
                writeStep(channel);
            }

            // the measure above can tell: the kernel's own writeback starts 30 s after, or at 10 % of memory; an assumption,
            // not a check, as those are the whole machine's dirty pages and a sync by anyone else writes these back too
            assumeThat(PageCache.pendingPages(file, 0, (STEPS - WriteBehind.LAG) * WriteBehind.STEP)).as("pages still dirty without write-behind").isPositive();
        }
    }

    @Test
    void somethingThatIsNotAFileStopsItQuietly()
    {
        try (WriteBehind writeBehind = WriteBehind.of(Path.of("/dev/null"))) {
            writeBehind.written(3 * WriteBehind.STEP);
            writeBehind.written(6 * WriteBehind.STEP);
        }
        try (WriteBehind writeBehind = WriteBehind.of(folder.resolve("missing"))) {
            writeBehind.written(3 * WriteBehind.STEP);
        }
    }

    private static void writeStep(FileChannel channel)
            throws IOException
    {
        byte[] bytes = new byte[(int) WriteBehind.STEP];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
