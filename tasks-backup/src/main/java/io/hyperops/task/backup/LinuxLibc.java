package io.hyperops.task.backup;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The few calls of the C library the backup task makes, on Linux only: elsewhere a nice value is the
 * whole process's (the warm-up would lower the daemon's other threads too), and malloc_trim is glibc's.
 */
final class LinuxLibc
{
    private static final Logger LOG = LoggerFactory.getLogger(LinuxLibc.class);

    private LinuxLibc() {}

    static Optional<Calls> load()
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

    interface Calls
            extends Library
    {
        int setpriority(int which, int who, int priority)
                throws LastErrorException;

        // getpriority(2) returns the nice value itself in glibc (the system call's 20 - nice is undone there)
        int getpriority(int which, int who)
                throws LastErrorException;

        int malloc_trim(long pad);
    }
}
