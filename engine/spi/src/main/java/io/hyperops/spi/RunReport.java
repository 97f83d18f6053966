package io.hyperops.spi;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** How a finished run ended: what {@link JobRunner} returns and {@link JobHistory} lists. */
public record RunReport(String runId, String jobName, Trigger trigger, Instant start, Instant end, RunOutcome outcome, String summary)
{
    public RunReport
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(jobName, "jobName is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(summary, "summary is null");
    }
}
