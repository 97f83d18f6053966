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
        String logFile,
        Optional<Instant> processStarted)
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
        // records from before this field have none: their process is judged by its pid alone
        processStarted = processStarted == null ? Optional.empty() : processStarted;
    }

    public static RunRecord started(String runId, String job, Trigger trigger, Instant start, String logFile)
    {
        ProcessHandle self = ProcessHandle.current();
        return new RunRecord(runId, job, trigger, start, Optional.empty(), Optional.empty(), "running", Map.of(), self.pid(), logFile, self.info().startInstant());
    }

    public RunRecord finished(Instant when, RunOutcome result, String text, Map<String, Object> facts)
    {
        return new RunRecord(runId, job, trigger, start, Optional.of(when), Optional.of(result), text, facts, pid, logFile, processStarted);
    }

    /** The SPI's view of a finished run; a run still going reports as interrupted, which it never is here. */
    public RunReport report()
    {
        return new RunReport(runId, job, trigger, start, end.orElse(start), outcome.orElse(RunOutcome.INTERRUPTED), summary);
    }

    /**
     * Whether the process that runs it is still there: its pid alone is not enough, as after a power cut
     * the new daemon (or anything else) may well get the dead one's pid.
     */
    public boolean processAlive()
    {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || processStarted.isEmpty()) {
            return process.isPresent();
        }
        return process.get().info().startInstant().map(started -> Math.abs(started.toEpochMilli() - processStarted.get().toEpochMilli()) < 2000).orElse(true);
    }

    public boolean running()
    {
        return outcome.isEmpty();
    }
}
