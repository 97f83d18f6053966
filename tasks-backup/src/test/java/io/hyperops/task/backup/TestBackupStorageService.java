package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
