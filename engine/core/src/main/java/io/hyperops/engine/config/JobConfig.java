package io.hyperops.engine.config;

import io.hyperops.engine.schedule.Schedule;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.Overlap;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One job as the engine runs it: its definition, with the config file's values over its defaults. */
public record JobConfig(
        JobDefinition definition,
        boolean enabled,
        Schedule schedule,
        Duration jitter,
        boolean catchUp,
        Overlap overlap,
        Duration timeout,
        Optional<Duration> runAfterStart,
        Record settings)
{
    public JobConfig
    {
        requireNonNull(definition, "definition is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(jitter, "jitter is null");
        requireNonNull(overlap, "overlap is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(runAfterStart, "runAfterStart is null");
        requireNonNull(settings, "settings is null");
    }

    public String name()
    {
        return definition.name();
    }

    /** Whether it fires on its own: enabled and not {@code manual}. */
    public boolean scheduled()
    {
        return enabled && !schedule.isManual();
    }
}
