package io.hyperops.task.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The update's durable state, {@code <state_dir>/jobs/update/update-state.json}: every update and
 * rollback, newest first. The health task and operators read it; {@code hyperops update rollback}
 * finds the steps to undo in it.
 */
public record UpdateState(List<UpdateRecord> history)
{
    public static final String NAME = "update-state";

    public UpdateState
    {
        history = List.copyOf(history == null ? List.of() : history);
    }

    public static UpdateState empty()
    {
        return new UpdateState(List.of());
    }

    public Optional<UpdateRecord> last()
    {
        return history.stream().findFirst();
    }

    /** This record in place of the one with its run id (a run records itself as it goes), newest first, at most {@code limit}. */
    public UpdateState with(UpdateRecord record, int limit)
    {
        List<UpdateRecord> records = new ArrayList<>();
        records.add(record);
        history.stream().filter(other -> !other.runId().equals(record.runId())).forEach(records::add);
        return new UpdateState(records.subList(0, Math.min(limit, records.size())));
    }

    /**
     * The newest record that changed something, or tried to: not a check that found nothing to do
     * ({@code up-to-date}) nor a refusal, which leave the host as the record before them left it.
     */
    public Optional<UpdateRecord> lastChange()
    {
        return history.stream().filter(record -> !record.outcome().equals(UpdateRecord.UP_TO_DATE) && !record.outcome().equals(UpdateRecord.REFUSED)).findFirst();
    }

    /**
     * The newest update still in force: applied and not rolled back since, or cut off while applying
     * (the daemon died mid-update), whose steps so far are on record. Runs that changed nothing since
     * do not hide it.
     */
    public Optional<UpdateRecord> lastApplied()
    {
        return lastChange().filter(record -> record.action().equals("apply")
                && (record.outcome().equals(UpdateRecord.APPLIED) || record.outcome().equals(UpdateRecord.APPLYING)));
    }

    /**
     * An update that did not end in a known state: cut off while applying or rolling back, or whose rollback failed.
     * Another one must not start on top of it.
     */
    public Optional<UpdateRecord> unresolved()
    {
        return lastChange().filter(record -> record.outcome().equals(UpdateRecord.APPLYING) || record.outcome().equals(UpdateRecord.ROLLING_BACK)
                || record.outcome().equals(UpdateRecord.ROLLBACK_FAILED));
    }

    /** An update or rollback a run was stopped or killed in, which the next update run finishes. */
    public Optional<UpdateRecord> cutOff()
    {
        return lastChange().filter(record -> record.outcome().equals(UpdateRecord.APPLYING) || record.outcome().equals(UpdateRecord.ROLLING_BACK));
    }
}
