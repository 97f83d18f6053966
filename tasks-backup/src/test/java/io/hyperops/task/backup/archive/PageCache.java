package io.hyperops.task.backup.archive;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The kernel's own count of a file's pages in the page cache: {@code cachestat(2)}, Linux 6.5 and later (an assumption where missing). */
public final class PageCache
{
    private static final int CACHESTAT = 451;

    private PageCache() {}

    /** Pages of the range in the page cache, clean or not. */
    public static long cachedPages(Path file, long offset, long length)
    {
        return stat(file, offset, length)[0];
    }

    /** Pages of the range that are dirty or being written back. */
    public static long pendingPages(Path file, long offset, long length)
    {
        long[] stat = stat(file, offset, length);
        return stat[1] + stat[2];
    }

    private static long[] stat(Path file, long offset, long length)
    {
        Kernel kernel = Native.load("c", Kernel.class);
        int descriptor = kernel.open(file.toString(), 0);
        assertThat(descriptor).as("open " + file).isNotNegative();
        try (Memory range = new Memory(16); Memory stat = new Memory(40)) {
            range.setLong(0, offset);
            range.setLong(8, length);
            int result = kernel.syscall(CACHESTAT, descriptor, range, stat, 0);
            assumeThat(result).as("cachestat(2), Linux 6.5 and later").isZero();
            // struct cachestat: nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted
            return new long[] {stat.getLong(0), stat.getLong(8), stat.getLong(16)};
        }
        finally {
            kernel.close(descriptor);
        }
    }

    interface Kernel
            extends Library
    {
        int open(String path, int flags);

        int syscall(long number, int descriptor, Memory range, Memory stat, int flags);

        int close(int descriptor);
    }
}
