package io.hyperops.task.health;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The {@code health} job: the host's checks in {@code health-status.json}, daily and after start. */
public final class HealthJob
        implements TaskJob
{
    private final HealthService service;

    @Inject
    HealthJob(HealthService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws IOException, InterruptedException
    {
        return service.check(context.settings(HealthSettings.class), context.clock(), context.log());
    }
}
