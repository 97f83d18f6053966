package io.hyperops.task.update;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One update or rollback, as kept in the update's state and shown by {@code hyperops update history}.
 *
 * @param action {@code apply} or {@code rollback}
 * @param outcome one of the constants below
 * @param applied the providers' applied steps, in the order they were applied
 * @param rolledBack names of the providers rolled back, in the order they were rolled back
 * @param problems why it was refused, failed or rolled back, one entry per cause
 * @param guestsBefore the guests that ran before an apply: the health gate's measure, kept so that an
 *         update cut off while applying can be judged by the next daemon
 */
public record UpdateRecord(
        String runId,
        String action,
        Instant started,
        Instant finished,
        String outcome,
        String summary,
        List<AppliedStep> applied,
        List<String> rolledBack,
        List<String> problems,
        List<String> guestsBefore)
{
    public static final String APPLYING = "applying";
    /** Stopped or killed while rolling back: the next update run finishes the rollback. */
    public static final String ROLLING_BACK = "rolling-back";
    public static final String APPLIED = "applied";
    public static final String UP_TO_DATE = "up-to-date";
    public static final String REFUSED = "refused";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String ROLLBACK_FAILED = "rollback-failed";

    public UpdateRecord
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(action, "action is null");
        requireNonNull(started, "started is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(summary, "summary is null");
        applied = List.copyOf(applied == null ? List.of() : applied);
        rolledBack = List.copyOf(rolledBack == null ? List.of() : rolledBack);
        problems = List.copyOf(problems == null ? List.of() : problems);
        guestsBefore = List.copyOf(guestsBefore == null ? List.of() : guestsBefore);
    }
}
