package io.hyperops.task.backup;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** How one guest fared in a backup run. */
public record GuestResult(String vmName, boolean ok, Optional<String> backupId, String message)
{
    public GuestResult
    {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(backupId, "backupId is null");
        requireNonNull(message, "message is null");
    }
}
