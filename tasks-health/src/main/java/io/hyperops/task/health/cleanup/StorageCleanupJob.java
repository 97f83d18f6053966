package io.hyperops.task.health.cleanup;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The {@code storage-cleanup} job, weekly: the seed's deletions, and real action when space is low. */
public final class StorageCleanupJob
        implements TaskJob
{
    private final StorageCleanupService service;

    @Inject
    StorageCleanupJob(StorageCleanupService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws IOException, InterruptedException
    {
        return service.clean(context.settings(StorageCleanupSettings.class), context.clock(), context.log(), context::checkCancelled);
    }
}
