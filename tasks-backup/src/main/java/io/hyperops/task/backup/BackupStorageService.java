package io.hyperops.task.backup;

import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The backup task's side of {@link BackupStorage}: the backup job's folder now, and deletion as its prune deletes. */
final class BackupStorageService
        implements BackupStorage
{
    private final JobAccess jobs;
    private final HostPaths paths;

    @Inject
    BackupStorageService(JobAccess jobs, HostPaths paths)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    @Override
    public Path root()
    {
        // as BackupService.store resolves it, from the settings in force (they follow reloads)
        return paths.dataDir().resolve(jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class).backupDir());
    }

    @Override
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public void delete(String vm, Path folder)
            throws IOException
    {
        BackupStore store = new BackupStore(root());
        Path guestFolder = store.root().resolve(BackupStore.checkGuestName(vm)).toAbsolutePath().normalize();
        Path backup = folder.toAbsolutePath().normalize();
        if (!guestFolder.equals(backup.getParent())) {
            throw new IllegalArgumentException(folder + " is not a backup of " + vm + " in " + store.root());
        }
        try (GuestLock lock = GuestLock.acquire(store.root(), vm)) {
            if (Files.exists(backup.resolve(BackupStore.PROTECTED))) {
                throw new IllegalStateException(folder + " is protected ('hyperops backup unprotect' lets it go)");
            }
            // Judged again here, under the lock: the caller chose from a listing made before it, and a
            // verify that failed since may have left this one the guest's newest good backup.
            Optional<StoredBackup> newestGood = store.list(vm).stream().filter(StoredBackup::good).findFirst();
            if (newestGood.map(good -> good.folder().toAbsolutePath().normalize().equals(backup)).orElse(false)) {
                throw new IllegalStateException(folder + " is the newest good backup of " + vm + " (the newer ones failed their verify or are not complete); it is kept");
            }
            store.deleteFolder(backup);
        }
    }
}
