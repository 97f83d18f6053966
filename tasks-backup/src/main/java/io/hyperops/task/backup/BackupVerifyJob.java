package io.hyperops.task.backup;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The {@code backup-verify} job: never-verified archives first, then those verified longest ago, within a time budget. */
public final class BackupVerifyJob
        implements TaskJob
{
    private final BackupOperations operations;
    private final JobAccess jobs;

    @Inject
    BackupVerifyJob(BackupOperations operations, JobAccess jobs)
    {
        this.operations = requireNonNull(operations, "operations is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws Exception
    {
        BackupSettings settings = jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class);
        Instant deadline = context.clock().instant().plus(context.settings(BackupVerifySettings.class).timeBudget());
        BackupStore store = operations.store(settings);
        Optional<DecryptionKeys> keys = settings.decryptionKeys();
        List<StoredBackup> queue = new ArrayList<>();
        for (String guest : store.guests()) {
            queue.addAll(store.list(guest));
        }
        queue.sort(Comparator.comparing((StoredBackup backup) -> backup.verify().map(VerifyRecord::time).orElse("")));
        List<String> failures = new ArrayList<>();
        int verified = 0;
        int skipped = 0;
        for (StoredBackup backup : queue) {
            context.checkCancelled();
            if (context.clock().instant().isAfter(deadline)) {
                break;
            }
            if (backup.manifest().encrypted() && keys.isEmpty()) {
                skipped++;
                continue;
            }
            VerifyRecord record = operations.verify(store, backup, keys, context::progress);
            verified++;
            if (!record.ok()) {
                failures.add(backup.vmName() + "/" + backup.id() + ": " + record.message());
                context.log().error("Backup {}/{} failed verify: {}", backup.vmName(), backup.id(), record.message());
            }
        }
        Map<String, Object> details = Map.of("verified", verified, "failed", failures, "skipped_encrypted_without_key", skipped,
                "left_for_next_run", queue.size() - verified - skipped);
        String summary = verified + " archives verified, " + failures.size() + " failed" + (skipped > 0 ? ", " + skipped + " encrypted skipped (no secret_key_file)" : "");
        if (!failures.isEmpty()) {
            return JobResult.failed(summary, details);
        }
        return skipped > 0 ? JobResult.warning(summary, details) : JobResult.success(summary, details);
    }
}
