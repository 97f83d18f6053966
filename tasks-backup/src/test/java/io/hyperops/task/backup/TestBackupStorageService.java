package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What other tasks see of the backup folder: the configured backup_dir, and deletion only as prune deletes. */
final class TestBackupStorageService
{
    @TempDir
    Path folder;

    @Test
    @SuppressWarnings("try") // the lock is held by the try block
    void theRootFollowsBackupDirAndADeleteWaitsForNoOneAndSparesProtectedBackups()
            throws Exception
    {
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", Path.of("elsewhere"));
        BackupStorageService storage = new BackupStorageService(new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, settings), paths);
        Path root = folder.resolve("data/elsewhere");
        assertThat(storage.root()).isEqualTo(root);

        Path busy = Files.createDirectories(root.resolve("web/20261126-120000"));
        Files.writeString(busy.resolve("backup-info.json"), "{}");
        try (GuestLock verifying = GuestLock.acquire(root, "web")) {
            assertThatThrownBy(() -> storage.delete("web", busy)).isInstanceOf(IllegalStateException.class).hasMessageContaining("another backup, verify, restore or prune of web");
        }
        assertThat(busy).exists();

        Path kept = Files.createDirectories(root.resolve("web/20261125-120000"));
        Files.createFile(kept.resolve(BackupStore.PROTECTED));
        assertThatThrownBy(() -> storage.delete("web", kept)).isInstanceOf(IllegalStateException.class).hasMessageContaining("is protected");
        assertThatThrownBy(() -> storage.delete("db", busy)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a backup of db");

        storage.delete("web", busy);
        assertThat(busy).doesNotExist();
        assertThat(kept).exists();
    }

    @Test
    void theNewestGoodBackupIsJudgedUnderTheLockAndKept()
            throws Exception
    {
        // storage cleanup chose the older backup from its listing; the newer one then failed its verify,
        // which leaves the older one the guest's last good backup: the delete must refuse
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        Path root = folder.resolve("data/backups");
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", root);
        BackupStorageService storage = new BackupStorageService(new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, settings), paths);
        Path disk = folder.resolve("vda.qcow2");
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "8M");
        StoredBackup older = TestBackupVerifyJob.storeBackup(root, disk, Instant.parse("2026-11-20T02:00:00Z"));
        StoredBackup newer = TestBackupVerifyJob.storeBackup(root, disk, Instant.parse("2026-11-21T02:00:00Z"));
        BackupStore store = new BackupStore(root);
        store.recordVerify(newer, new VerifyRecord("2026-11-21T03:00:00Z", false, "vda: SHA-256 does not match the manifest", List.of()));

        assertThatThrownBy(() -> storage.delete("web", older.folder())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is the newest good backup of web");
        assertThat(older.folder()).exists();

        // the broken one may go, and once a newer good one exists, the older one too
        storage.delete("web", newer.folder());
        StoredBackup newest = TestBackupVerifyJob.storeBackup(root, disk, Instant.parse("2026-11-22T02:00:00Z"));
        storage.delete("web", older.folder());
        assertThat(store.list("web")).extracting(StoredBackup::id).containsExactly(newest.id());
    }
}
