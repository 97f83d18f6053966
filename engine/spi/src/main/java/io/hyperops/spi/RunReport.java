package io.hyperops.spi;

import static java.util.Objects.requireNonNull;

/** How a run that another job asked for ended. */
public record RunReport(String runId, String jobName, RunOutcome outcome, String summary)
{
    public RunReport
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(jobName, "jobName is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(summary, "summary is null");
    }
}
