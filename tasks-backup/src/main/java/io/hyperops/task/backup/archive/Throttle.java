package io.hyperops.task.backup.archive;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A token bucket on the bytes read from disks: a second's worth may go at once, beyond that a reader
 * waits until the rate has earned what it read. One instance per backup run, shared by its disks, so
 * the limit holds for the run rather than per disk. Not thread-safe: one reading thread uses it.
 */
public final class Throttle
{
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double available;
    private long last;

    /** @param bytesPerSecond 0 means unlimited */
    public Throttle(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper)
    {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (unlimited) or more, was " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.available = bytesPerSecond;
        this.last = nanoTime.getAsLong();
    }

    public static Throttle unlimited()
    {
        return new Throttle(0, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    public static Throttle mebibytesPerSecond(int limit)
    {
        return new Throttle(limit * (1L << 20), System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** Takes {@code bytes} from the bucket, first waiting as long as the rate needs to earn what it lacks. */
    public void acquire(long bytes)
            throws InterruptedException
    {
        if (bytesPerSecond == 0) {
            return;
        }
        refill();
        available -= bytes;
        if (available < 0) {
            sleeper.sleep((long) Math.ceil(-available * NANOS_PER_SECOND / bytesPerSecond));
            // the debt is paid by the time slept: the next refill counts that time
        }
    }

    private void refill()
    {
        long now = nanoTime.getAsLong();
        double earned = (double) (now - last) * bytesPerSecond / NANOS_PER_SECOND;
        available = Math.min(bytesPerSecond, available + earned);
        last = now;
    }

    /** Waits; tests pass one that moves a fake clock instead. */
    @FunctionalInterface
    public interface Sleeper
    {
        void sleep(long nanos)
                throws InterruptedException;
    }
}
