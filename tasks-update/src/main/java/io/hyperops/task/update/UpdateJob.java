package io.hyperops.task.update;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import static java.util.Objects.requireNonNull;

/** The {@code update} job: pre-flight, backup, apply, health gate, automatic rollback. */
public final class UpdateJob
        implements TaskJob
{
    private final UpdateService service;

    @Inject
    UpdateJob(UpdateService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws InterruptedException
    {
        return service.apply(context.settings(UpdateSettings.class), context);
    }
}
