package io.hyperops.task.update;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import static java.util.Objects.requireNonNull;

/** The {@code update-check} job: every provider's check in {@code update-status.json}, weekly. */
public final class UpdateCheckJob
        implements TaskJob
{
    private final UpdateService service;

    @Inject
    UpdateCheckJob(UpdateService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws InterruptedException
    {
        return service.check(context.settings(UpdateCheckSettings.class), context);
    }
}
