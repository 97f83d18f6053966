package io.hyperops.engine.run;

import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.Trigger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One run in the history: written when it starts (no end, no outcome) and again when it ends. A record
 * left without an end by a process that died is closed as {@code interrupted} at the next start.
 */
public record RunRecord(
        String runId,
        String job,
        Trigger trigger,
        Instant start,
        Optional<Instant> end,
        Optional<RunOutcome> outcome,
        String summary,
        Map<String, Object> details,
        long pid,
        String logFile)
{
    public RunRecord
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(job, "job is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(summary, "summary is null");
        details = details == null ? Map.of() : Map.copyOf(details);
        requireNonNull(logFile, "logFile is null");
    }

    public static RunRecord started(String runId, String job, Trigger trigger, Instant start, String logFile)
    {
        return new RunRecord(runId, job, trigger, start, Optional.empty(), Optional.empty(), "running", Map.of(), ProcessHandle.current().pid(), logFile);
    }

    public RunRecord finished(Instant when, RunOutcome result, String text, Map<String, Object> facts)
    {
        return new RunRecord(runId, job, trigger, start, Optional.of(when), Optional.of(result), text, facts, pid, logFile);
    }

    /** The SPI's view of a finished run; a run still going reports as interrupted, which it never is here. */
    public RunReport report()
    {
        return new RunReport(runId, job, trigger, start, end.orElse(start), outcome.orElse(RunOutcome.INTERRUPTED), summary);
    }

    public boolean running()
    {
        return outcome.isEmpty();
    }
}
