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
        Optional<String> process)
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
        process = process == null ? Optional.empty() : process;
    }

    public static RunRecord started(String runId, String job, Trigger trigger, Instant start, String logFile)
    {
        long self = ProcessHandle.current().pid();
        return new RunRecord(runId, job, trigger, start, Optional.empty(), Optional.empty(), "running", Map.of(), self, logFile, ProcessIdentity.of(self));
    }

    public RunRecord finished(Instant when, RunOutcome result, String text, Map<String, Object> facts)
    {
        return new RunRecord(runId, job, trigger, start, Optional.of(when), Optional.of(result), text, facts, pid, logFile, process);
    }

    /** The SPI's view of a finished run; a run still going reports as interrupted, which it never is here. */
    public RunReport report()
    {
        return new RunReport(runId, job, trigger, start, end.orElse(start), outcome.orElse(RunOutcome.INTERRUPTED), summary);
    }

    /**
     * Whether the process that runs it is still there: its pid alone is not enough, as after a power cut
     * the new daemon (or anything else) may well get the dead one's pid ({@link ProcessIdentity}).
     */
    public boolean processAlive()
    {
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive || process.isEmpty()) {
            return alive;
        }
        return ProcessIdentity.of(pid).map(process.get()::equals).orElse(true);
    }

    public boolean running()
    {
        return outcome.isEmpty();
    }
}
