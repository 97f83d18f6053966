package io.hyperops.task.network;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The {@code network-check} job (hourly): bridges up, jumbo frames passing end to end; WARN otherwise. */
public final class NetworkCheckJob
        implements TaskJob
{
    private final NetworkCheckService service;

    @Inject
    NetworkCheckJob(NetworkCheckService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws IOException, InterruptedException
    {
        return NetworkCheckService.result(service.check(context.settings(NetworkSettings.class)));
    }
}
