package io.hyperops.spi;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a job does when the config file says nothing about it. Every field can be overridden per job in
 * the config file under the same name (snake_case there).
 *
 * @param schedule when it fires: cron, or a systemd calendar expression such as {@code daily} or {@code 02:00};
 *         {@code manual} for jobs that only run when asked
 * @param jitter random delay added to each scheduled fire, like systemd's {@code RandomizedDelaySec}
 * @param catchUp run once at start when fires were missed while the engine was down ({@code Persistent=true})
 * @param runAfterStart also fire this long after the engine starts ({@code OnBootSec}), if present
 */
public record JobDefaults(
        boolean enabled,
        String schedule,
        Duration jitter,
        boolean catchUp,
        Overlap overlap,
        Duration timeout,
        Optional<Duration> runAfterStart)
{
    public JobDefaults
    {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(jitter, "jitter is null");
        requireNonNull(overlap, "overlap is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(runAfterStart, "runAfterStart is null");
    }

    /** Enabled, no jitter, no catch-up, overlapping fires skipped, one hour timeout. */
    public static JobDefaults scheduled(String schedule)
    {
        return new JobDefaults(true, schedule, Duration.ZERO, false, Overlap.SKIP, Duration.ofHours(1), Optional.empty());
    }

    public JobDefaults withJitter(Duration jitter)
    {
        return new JobDefaults(enabled, schedule, jitter, catchUp, overlap, timeout, runAfterStart);
    }

    public JobDefaults withCatchUp(boolean catchUp)
    {
        return new JobDefaults(enabled, schedule, jitter, catchUp, overlap, timeout, runAfterStart);
    }

    public JobDefaults withOverlap(Overlap overlap)
    {
        return new JobDefaults(enabled, schedule, jitter, catchUp, overlap, timeout, runAfterStart);
    }

    public JobDefaults withTimeout(Duration timeout)
    {
        return new JobDefaults(enabled, schedule, jitter, catchUp, overlap, timeout, runAfterStart);
    }

    public JobDefaults withRunAfterStart(Duration delay)
    {
        return new JobDefaults(enabled, schedule, jitter, catchUp, overlap, timeout, Optional.of(delay));
    }
}
