package io.hyperops.task.backup.retention;

import static java.util.Objects.requireNonNull;

/** Whether one backup stays, and the rule that decided it, for {@code backup prune --dry-run}. */
public record RetentionDecision(BackupPoint backup, boolean keep, String reason)
{
    public RetentionDecision
    {
        requireNonNull(backup, "backup is null");
        requireNonNull(reason, "reason is null");
    }
}
