package io.hyperops.task.health;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The {@code metrics} job: hourly host and VM figures in {@code metrics-*.json}, for the seed's readers. */
public final class MetricsJob
        implements TaskJob
{
    private final MetricsService service;

    @Inject
    MetricsJob(MetricsService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws IOException
    {
        return service.record(context.settings(MetricsSettings.class), context.clock(), context.log());
    }
}
