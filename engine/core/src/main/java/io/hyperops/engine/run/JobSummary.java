package io.hyperops.engine.run;

import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.spi.RunOutcome;

import java.time.Instant;
import java.util.Optional;

/** One line of {@code hyperops jobs}: built by the daemon, or from the files when no daemon runs. */
public record JobSummary(
        String name,
        boolean enabled,
        boolean paused,
        String schedule,
        Optional<Instant> nextFire,
        boolean operatorAllowed,
        Optional<RunOutcome> lastOutcome,
        Optional<Instant> lastStart,
        String description)
{
    public static JobSummary of(EngineConfig config, JobConfig job, RunHistory history, Optional<Instant> nextFire, boolean paused)
    {
        Optional<RunRecord> last = history.lastFinished(job.name());
        return new JobSummary(job.name(), job.enabled(), paused, job.schedule().expression(), nextFire,
                config.engine().operatorJobs().contains(job.name()),
                last.flatMap(RunRecord::outcome), last.map(RunRecord::start), job.definition().description());
    }
}
