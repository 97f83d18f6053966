package io.hyperops.task.backup.retention;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One backup as retention sees it.
 *
 * @param good complete and not known to be broken (a failed verify makes it not good)
 */
public record BackupPoint(String id, Instant time, boolean good, boolean isProtected)
{
    public BackupPoint
    {
        requireNonNull(id, "id is null");
        requireNonNull(time, "time is null");
    }
}
