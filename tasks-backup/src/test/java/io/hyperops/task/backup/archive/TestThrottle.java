package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket's arithmetic on a fake clock that moves only when the reader sleeps or the test says so. */
final class TestThrottle
{
    private static final long MIB = 1 << 20;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long now = 1_000;
    private final List<Long> sleeps = new ArrayList<>();

    @Test
    void unlimitedNeverSleeps()
            throws InterruptedException
    {
        Throttle throttle = throttle(0);
        for (int i = 0; i < 1000; i++) {
            throttle.acquire(MIB);
        }

        assertThat(sleeps).isEmpty();
    }

    @Test
    void aSecondsWorthGoesAtOnceThenTheRateHolds()
            throws InterruptedException
    {
        Throttle throttle = throttle(10 * MIB);
        for (int i = 0; i < 30; i++) {
            throttle.acquire(MIB);
        }

        // 10 MiB free from the full bucket, the other 20 MiB at 10 MiB/s
        assertThat(sleeps).hasSize(20).allMatch(nanos -> nanos == SECOND / 10);
        assertThat(now - 1_000).isEqualTo(2 * SECOND);
    }

    @Test
    void idleTimeFillsTheBucketToOneSecondOnly()
            throws InterruptedException
    {
        Throttle throttle = throttle(10 * MIB);
        throttle.acquire(10 * MIB);
        now += 100 * SECOND;
        for (int i = 0; i < 20; i++) {
            throttle.acquire(MIB);
        }

        assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(SECOND);
    }

    @Test
    void aReaderSlowerThanTheLimitNeverWaits()
            throws InterruptedException
    {
        Throttle throttle = throttle(10 * MIB);
        for (int i = 0; i < 100; i++) {
            throttle.acquire(MIB);
            now += SECOND / 5;
        }

        assertThat(sleeps).isEmpty();
    }

    @Test
    void aReadLargerThanTheBucketWaitsForItsExcess()
            throws InterruptedException
    {
        Throttle throttle = throttle(MIB);
        throttle.acquire(MIB / 2);
        throttle.acquire(3 * MIB);

        assertThat(sleeps).containsExactly(5 * SECOND / 2);
    }

    @Test
    void aNegativeLimitIsRefused()
    {
        assertThatThrownBy(() -> throttle(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private Throttle throttle(long bytesPerSecond)
    {
        return new Throttle(bytesPerSecond, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        });
    }
}
