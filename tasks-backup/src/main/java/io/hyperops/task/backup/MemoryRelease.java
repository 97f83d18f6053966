package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.LinuxLibc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the memory an archive took back to the host once it is written or verified. On a
 * hypervisor the RAM belongs to the guests, and the daemon sits idle for most of the day after the
 * nightly backups; what it keeps then is taken from them.
 *
 * <p>Two things grow and stay. The serial collector resizes the heap at full collections only, and
 * then by a quarter of the excess at most; the pipeline's megabyte buffers (about 30 MiB per archive,
 * held for its whole length and so promoted) ratchet it up from archive to archive. zstd's and
 * OpenSSL's buffers are freed into the stage threads' malloc arenas, which glibc keeps. A JVM that
 * archived the benchmark's 1 GiB disk twenty times held 201 MiB between archives and peaked at 248 MiB,
 * still climbing. A full collection, which the launcher's {@code -XX:MaxHeapFreeRatio=40
 * -XX:-ShrinkHeapInSteps} let shrink the heap in one go, and {@code malloc_trim} after each archive: 137
 * and 183 MiB, flat (docs/benchmarks.md, session 5). Each costs tens of milliseconds against seconds to
 * hours of backup.
 */
final class MemoryRelease
{
    private static final Logger LOG = LoggerFactory.getLogger(MemoryRelease.class);

    private MemoryRelease() {}

    /** @return whether the C heap was trimmed too: false off Linux or off glibc */
    static boolean now()
    {
        // an explicit collection, which this codebase otherwise leaves to the JVM: see above for why here
        System.gc();
        try {
            return LinuxLibc.calls().map(libc -> libc.malloc_trim(0) >= 0).orElse(false);
        }
        catch (UnsatisfiedLinkError e) {
            // not glibc (musl has no malloc_trim): the C heap's free memory stays with the process
            LOG.debug("No malloc_trim here: {}", e.toString());
            return false;
        }
    }
}
