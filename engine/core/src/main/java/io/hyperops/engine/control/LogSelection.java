package io.hyperops.engine.control;

import io.hyperops.engine.run.RunCoordinator;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import io.hyperops.engine.schedule.TimeSpans;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Which file {@code logs} reads and which of its lines it shows. */
record LogSelection(Path file, Optional<String> job, Optional<String> runId, Optional<Instant> since)
{
    static LogSelection of(ControlRequest request, Path logDir, RunHistory history, java.time.ZoneId zone)
    {
        Optional<String> job = Optional.ofNullable(request.text("job"));
        Optional<String> runId = Optional.ofNullable(request.text("run"));
        Optional<Instant> since = Optional.ofNullable(request.text("since")).map(text -> parseSince(text, zone));
        if (runId.isPresent()) {
            RunRecord record = history.list(Optional.empty(), Integer.MAX_VALUE).stream()
                    .filter(candidate -> candidate.runId().equals(runId.get()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no run with id '" + runId.get() + "' in the history"));
            // History files are the daemon's, but a log path from disk is still checked before it is read as root.
            Path file = Path.of(record.logFile()).normalize();
            if (!file.startsWith(logDir.resolve("runs").normalize())) {
                throw new IllegalArgumentException("run " + runId.get() + " names a log outside " + logDir.resolve("runs"));
            }
            return new LogSelection(file, Optional.of(record.job()), runId, since);
        }
        return new LogSelection(logDir.resolve("hyperops.log"), job, runId, since);
    }

    boolean accepts(String line)
    {
        if (job.isPresent() && runId.isEmpty() && !line.contains(" job=" + job.get() + " ")) {
            return false;
        }
        if (since.isPresent()) {
            int space = line.indexOf(' ');
            try {
                return space < 0 || !java.time.OffsetDateTime.parse(line.substring(0, space)).toInstant().isBefore(since.get());
            }
            catch (java.time.format.DateTimeParseException e) {
                // A continuation line (stack trace) has no time of its own: keep it with its entry.
                return true;
            }
        }
        return true;
    }

    /** A run's log is followed until the run ends; the engine log until the client leaves. */
    boolean stillRunning(RunCoordinator coordinator)
    {
        return runId.isEmpty() || coordinator.active().stream().anyMatch(run -> run.runId().equals(runId.get()));
    }

    private static Instant parseSince(String text, java.time.ZoneId zone)
    {
        try {
            return Instant.now().minus(TimeSpans.parse(text));
        }
        catch (IllegalArgumentException notASpan) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            }
            catch (java.time.format.DateTimeParseException notAnInstant) {
                try {
                    return java.time.LocalDateTime.parse(text).atZone(zone).toInstant();
                }
                catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("--since takes a time span ago (\"10min\", \"2h\") or a time (\"2026-11-26T14:00\"), not '" + text + "'", e);
                }
            }
        }
    }
}
