package io.hyperops.task.backup;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The {@code backup} job: backs up the configured guests, verifies each new archive, then prunes. */
public final class BackupJob
        implements TaskJob
{
    private final BackupOperations operations;

    @Inject
    BackupJob(BackupOperations operations)
    {
        this.operations = requireNonNull(operations, "operations is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws Exception
    {
        BackupSettings settings = context.settings(BackupSettings.class);
        List<GuestResult> results = operations.run(settings, settings.guests(), context::progress, context.log());
        long failed = results.stream().filter(result -> !result.ok()).count();
        Map<String, Object> details = Map.of(
                "guests", results.size(),
                "failed", failed,
                "results", results.stream().map(result -> result.vmName() + ": " + result.message()).toList());
        String summary = results.size() - failed + " of " + results.size() + " guests backed up";
        return failed == 0 ? JobResult.success(summary, details) : JobResult.failed(summary, details);
    }
}
