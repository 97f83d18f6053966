package io.hyperops.task.update;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.StateStore;
import jakarta.inject.Inject;

import static java.util.Objects.requireNonNull;

/**
 * The one place the update's state is read and written: {@link UpdateState} in the {@code update}
 * job's state store, whichever job or command does the recording.
 */
public final class UpdateStateStore
{
    private final JobAccess jobs;

    @Inject
    public UpdateStateStore(JobAccess jobs)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    public UpdateState read()
    {
        return store().read(UpdateState.NAME, UpdateState.class).orElse(UpdateState.empty());
    }

    /** Adds the record, or replaces the one of the same run, keeping at most {@code limit}. */
    public synchronized void save(UpdateRecord record, int limit)
    {
        store().write(UpdateState.NAME, read().with(record, limit));
    }

    private StateStore store()
    {
        return jobs.state(UpdatePlugin.UPDATE_JOB);
    }
}
