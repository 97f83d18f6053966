package io.hyperops.task.backup;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code backup-verify} job: never-verified archives first, then those verified longest ago, within a
 * time budget. Its result names every backup verified, what failed and why, and what could not be verified.
 */
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

    /**
     * Whether the archive can be read before the budget ends, at the pace of this run so far: the budget is
     * checked only between archives, and one started just before its end could outlast the job's time-out
     * and be stopped, every week. The first archive of a run always starts.
     */
    private static boolean fitsBefore(Instant deadline, Instant now, Instant start, long bytesRead, StoredBackup backup)
    {
        long millis = Duration.between(start, now).toMillis();
        if (bytesRead == 0 || millis <= 0) {
            return true;
        }
        long needed = (long) (sizeOf(backup) * (double) millis / bytesRead);
        return !now.plusMillis(needed).isAfter(deadline);
    }

    /** 0 for an archive gone since the listing (pruned meanwhile): its verify then says so. */
    private static long sizeOf(StoredBackup backup)
    {
        try {
            return Files.size(backup.archive());
        }
        catch (IOException e) {
            return 0;
        }
    }

    @Override
    public JobResult run(RunContext context)
            throws Exception
    {
        BackupSettings settings = jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class);
        Instant start = context.clock().instant();
        Instant deadline = start.plus(context.settings(BackupVerifySettings.class).timeBudget());
        long bytesRead = 0;
        BackupStore store = operations.store(settings);
        Optional<DecryptionKeys> keys = settings.decryptionKeys();
        List<StoredBackup> queue = new ArrayList<>();
        for (String guest : store.guests()) {
            queue.addAll(store.list(guest));
        }
        queue.sort(Comparator.comparing((StoredBackup backup) -> backup.verify().map(VerifyRecord::time).orElse("")));
        List<String> passed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> failedNames = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int skipped = 0;
        for (StoredBackup backup : queue) {
            context.checkCancelled();
            Instant now = context.clock().instant();
            if (now.isAfter(deadline) || !fitsBefore(deadline, now, start, bytesRead, backup)) {
                break;
            }
            String name = backup.vmName() + "/" + backup.id();
            if (backup.manifest().encrypted() && keys.isEmpty()) {
                skipped++;
                continue;
            }
            try {
                bytesRead += sizeOf(backup);
                VerifyRecord record = operations.verify(store, backup, keys, settings.verifyQemuImgCheck(), context::progress);
                if (record.ok()) {
                    passed.add(name + ": " + record.message());
                }
                else {
                    failures.add(name + ": " + record.message());
                    failedNames.add(name);
                    context.log().error("Backup {} failed verify: {}", name, record.message());
                }
            }
            catch (IllegalStateException | IllegalArgumentException e) {
                // not a verdict on the archive (the guest is busy, no room for the scratch image, a key that does not load): verify.json stays as it was, and the run says why
                refused.add(name + ": " + e.getMessage());
                context.log().error("Backup {} not verified: {}", name, e.getMessage());
            }
            finally {
                MemoryRelease.now();
            }
        }
        int verified = passed.size() + failures.size();
        Map<String, Object> details = Map.of("verified", verified, "passed", passed, "failed", failures, "not_verified", refused,
                "skipped_encrypted_without_key", skipped, "left_for_next_run", queue.size() - verified - refused.size() - skipped);
        String summary = verified + " archives verified, " + failures.size() + " failed"
                + (failures.isEmpty() ? "" : " (" + String.join(", ", failedNames) + ")")
                + (refused.isEmpty() ? "" : ", " + refused.size() + " could not be verified (" + refused.get(0) + ")")
                + (skipped > 0 ? ", " + skipped + " encrypted skipped (no secret_key_file)" : "");
        if (!failures.isEmpty() || !refused.isEmpty()) {
            return JobResult.failed(summary, details);
        }
        return skipped > 0 ? JobResult.warning(summary, details) : JobResult.success(summary, details);
    }
}
