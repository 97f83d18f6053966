package io.hyperops.testing;

import java.time.Instant;

/**
 * The JVM that made a test guest. A pid alone is not enough: after a reboot or a long time the same
 * pid may belong to another process, so its start time is kept too.
 */
record GuestOwner(long pid, long startedMillis)
{
    static GuestOwner current()
    {
        return of(ProcessHandle.current());
    }

    /** Whether the process that made the guest is still running, so its guests are still in use. */
    boolean isAlive()
    {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(GuestOwner::of)
                .filter(this::equals)
                .isPresent();
    }

    private static GuestOwner of(ProcessHandle process)
    {
        // Linux always reports a start time; a missing one compares equal to a missing one.
        long startedMillis = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new GuestOwner(process.pid(), startedMillis);
    }
}
