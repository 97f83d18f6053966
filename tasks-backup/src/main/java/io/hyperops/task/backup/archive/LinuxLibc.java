package io.hyperops.task.backup.archive;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The calls of the C library the backup task makes, on Linux only, bound once: the I/O priority
 * ({@link IoPriority}), write-behind ({@link WriteBehind}), and for the task itself the warm-up's nice
 * value (per thread on Linux; elsewhere it would be the whole process's) and malloc_trim (glibc's).
 * Empty elsewhere, and where the library does not load: each caller then goes without.
 */
public final class LinuxLibc
{
    private static final Logger LOG = LoggerFactory.getLogger(LinuxLibc.class);
    private static final Optional<Calls> CALLS = load();

    private LinuxLibc() {}

    public static Optional<Calls> calls()
    {
        return CALLS;
    }

    private static Optional<Calls> load()
    {
        if (!System.getProperty("os.name").equals("Linux")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Native.load("c", Calls.class));
        }
        catch (UnsatisfiedLinkError e) {
            LOG.debug("No C library for the backup task's system calls: {}", e.toString());
            return Optional.empty();
        }
    }

    public interface Calls
            extends Library
    {
        // syscall(2) is variadic; ints travel in the same registers either way on x86_64 and aarch64 Linux
        int syscall(long number, int which, int who)
                throws LastErrorException;

        int syscall(long number, int which, int who, int ioprio)
                throws LastErrorException;

        int open(String path, int flags)
                throws LastErrorException;

        int sync_file_range(int descriptor, long offset, long length, int flags)
                throws LastErrorException;

        int close(int descriptor)
                throws LastErrorException;

        int setpriority(int which, int who, int priority)
                throws LastErrorException;

        // getpriority(2) returns the nice value itself in glibc (the system call's 20 - nice is undone there)
        int getpriority(int which, int who)
                throws LastErrorException;

        int malloc_trim(long pad);
    }
}
