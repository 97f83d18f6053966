package io.hyperops.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the backup task keeps its backups, for the tasks that look at them (health's freshness and
 * verify checks and storage cleanup, the security audit), so they follow the backup job's
 * {@code backup_dir} instead of assuming one. Offered by the backup task when it is installed; inject
 * {@code Optional<BackupStorage>}.
 */
public interface BackupStorage
{
    /** The backup folder as the config in force has it now: {@code <backup_dir>/<vm>/<id>/}. */
    Path root();

    /**
     * Deletes one backup folder under its guest's lock, as the backup task's own prune does, so it never
     * goes while a backup, verify or restore of that guest reads it.
     *
     * @throws IllegalStateException when the guest's lock is taken, the backup is protected, or it is the
     *         guest's newest good backup as judged under the lock (a verify may have failed since the caller
     *         chose): nothing deleted
     * @throws IllegalArgumentException when {@code folder} is not a backup of {@code vm} under {@link #root()}
     */
    void delete(String vm, Path folder)
            throws IOException;
}
