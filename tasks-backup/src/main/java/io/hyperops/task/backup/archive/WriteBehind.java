package io.hyperops.task.backup.archive;

import com.sun.jna.LastErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Has the kernel write a file (an archive, a restored disk) to disk behind its writer, a step at a time, with
 * {@code sync_file_range(2)}. Without it the whole archive sits dirty in the page cache until the
 * fsync at commit, which then waits for all of it while the CPUs idle, and a host's guests share
 * that cache and that disk with a burst of hundreds of megabytes. With it, writeback of each step
 * starts as soon as it is written and overlaps the compressing and encrypting of the next ones;
 * the writer waits only for a step {@link #LAG} steps back, so dirty pages stay bounded and a disk
 * slower than the pipeline slows the pipeline rather than filling memory.
 *
 * <p>This is no durability promise: the fsync at commit still makes the archive durable. Where the
 * call is not available (not Linux, or the descriptor cannot be opened) it does nothing.
 */
public final class WriteBehind
        implements AutoCloseable
{
    static final long STEP = 8L << 20;
    static final int LAG = 4;

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int WAIT_BEFORE = 1;
    private static final int WRITE = 2;
    private static final int WAIT_AFTER = 4;
    private static final WriteBehind NONE = new WriteBehind(null, -1);
    private static final Optional<LinuxLibc.Calls> LIBC = LinuxLibc.calls();

    private final LinuxLibc.Calls libc;
    private final int descriptor;
    private long started;
    // volatile: close() may come from the thread that aborts a writer still stuck in a write
    private volatile boolean failed;
    private volatile boolean closed;

    private WriteBehind(LinuxLibc.Calls libc, int descriptor)
    {
        this.libc = libc;
        this.descriptor = descriptor;
    }

    /** Nothing to write back: for output that is no file. */
    public static WriteBehind none()
    {
        return NONE;
    }

    /** Opens a descriptor of its own on {@code file}: the kernel writes back the file, whichever descriptor asks. */
    public static WriteBehind of(Path file)
    {
        if (LIBC.isEmpty()) {
            return NONE;
        }
        try {
            return new WriteBehind(LIBC.get(), LIBC.get().open(file.toString(), O_RDONLY_CLOEXEC));
        }
        catch (LastErrorException e) {
            LOG.debug("No write-behind for {}: open failed with errno {}", file, e.getErrorCode());
            return NONE;
        }
    }

    /**
     * @param written how far the file is written; each whole step past the last one started is sent to
     *        disk (holes a sparse writer skipped cost nothing there)
     */
    public void written(long written)
    {
        if (descriptor < 0 || failed || closed) {
            return;
        }
        while (written - started >= STEP) {
            try {
                libc.sync_file_range(descriptor, started, STEP, WRITE);
                long waitFor = started - LAG * STEP;
                if (waitFor >= 0) {
                    libc.sync_file_range(descriptor, waitFor, STEP, WAIT_BEFORE | WRITE | WAIT_AFTER);
                }
            }
            catch (LastErrorException e) {
                // An I/O error shows again, and is reported, at the fsync of the commit.
                LOG.debug("Write-behind stopped: sync_file_range failed with errno {}", e.getErrorCode());
                failed = true;
                return;
            }
            started += STEP;
        }
    }

    /** Closes its descriptor; more than once is harmless. */
    @Override
    public void close()
    {
        if (descriptor >= 0 && !closed) {
            closed = true;
            try {
                libc.close(descriptor);
            }
            catch (LastErrorException e) {
                // read-only descriptor: nothing was written through it, nothing can be lost
            }
        }
    }
}
