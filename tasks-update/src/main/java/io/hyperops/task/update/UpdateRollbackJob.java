package io.hyperops.task.update;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import static java.util.Objects.requireNonNull;

/** The {@code update-rollback} job: rolls the last applied update back, provider by provider in reverse order. */
public final class UpdateRollbackJob
        implements TaskJob
{
    private final UpdateService service;
    private final JobAccess jobs;

    @Inject
    UpdateRollbackJob(UpdateService service, JobAccess jobs)
    {
        this.service = requireNonNull(service, "service is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws InterruptedException
    {
        return service.rollback(jobs.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), context);
    }
}
