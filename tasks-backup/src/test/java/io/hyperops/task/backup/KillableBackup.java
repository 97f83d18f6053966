package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.testing.TestingSettings;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A backup in its own JVM, for a test to kill with SIGKILL mid-archive as a crashed engine would be:
 * {@code KillableBackup GUEST BACKUP_DIR}.
 */
public final class KillableBackup
{
    private KillableBackup() {}

    public static void main(String[] arguments)
            throws Exception
    {
        Path backupDir = Path.of(arguments[1]);
        // 1 MiB/s: the partial archive of a few MiB lasts seconds, long enough for the test to see it and kill this JVM mid-archive
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", backupDir, "bandwidthLimit", 1);
        try (SystemLibvirt libvirt = new SystemLibvirt()) {
            new BackupService(libvirt, new HostPaths(backupDir, backupDir, backupDir), Clock.systemUTC())
                    .backup(arguments[0], settings, Progress.NONE, LoggerFactory.getLogger(KillableBackup.class));
        }
    }
}
