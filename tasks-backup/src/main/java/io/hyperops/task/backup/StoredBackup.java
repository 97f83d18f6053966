package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.retention.BackupPoint;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A complete backup in the store: its folder, archive, manifest, protection and last verify. */
public record StoredBackup(String vmName, String id, Path folder, Path archive, BackupManifest manifest, boolean isProtected, Optional<VerifyRecord> verify)
{
    public StoredBackup
    {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(id, "id is null");
        requireNonNull(folder, "folder is null");
        requireNonNull(archive, "archive is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(verify, "verify is null");
    }

    public Instant time()
    {
        return Instant.parse(manifest.timestamp());
    }

    /** Not known to be broken: a backup nobody verified yet counts as good, one that failed verify does not. */
    public boolean good()
    {
        return verify.map(VerifyRecord::ok).orElse(true);
    }

    public BackupPoint point()
    {
        return new BackupPoint(id, time(), good(), isProtected);
    }
}
