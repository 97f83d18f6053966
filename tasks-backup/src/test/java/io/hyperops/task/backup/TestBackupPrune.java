package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.backup.retention.RetentionDecision;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pruning against a wrong clock, on real archives of a real qcow2. */
final class TestBackupPrune
{
    private static final Logger LOG = LoggerFactory.getLogger(TestBackupPrune.class);
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void theBackupThisRunMadeIsKeptWhateverItsDateAndABackupFromTheFutureStopsPruning()
            throws Exception
    {
        Path disk = folder.resolve("vda.qcow2");
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "8M");
        Path root = folder.resolve("backups");
        // the clock was years behind when this run started: its backup is dated long before the others
        StoredBackup madeUnderAWrongClock = TestBackupVerifyJob.storeBackup(root, disk, Instant.parse("2001-01-01T00:00:00Z"));
        StoredBackup yesterday = TestBackupVerifyJob.storeBackup(root, disk, NOW.minus(Duration.ofDays(1)));
        BackupSettings keepOne = TestingSettings.of(BackupSettings.class, "backupDir", root, "maxBackupsPerVm", 1);
        BackupOperations operations = operations(NOW);
        BackupStore store = operations.store(keepOne);

        List<RetentionDecision> decisions = operations.prune(store, keepOne, "web", Optional.of(madeUnderAWrongClock.id()), false, LOG);

        assertThat(decisions).filteredOn(RetentionDecision::keep).extracting(decision -> decision.backup().id())
                .containsExactlyInAnyOrder(madeUnderAWrongClock.id(), yesterday.id());
        assertThat(store.list("web")).hasSize(2);

        // now the clock runs a day behind the newest backup: retention by age or count cannot be trusted, nothing goes
        BackupOperations behind = operations(NOW.minus(Duration.ofDays(2)));
        assertThatThrownBy(() -> behind.prune(store, keepOne, "web", false, LOG))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backup web/" + yesterday.id() + " is dated " + yesterday.point().time())
                .hasMessageContaining("nothing was pruned. Check the clock");
        assertThat(store.list("web")).hasSize(2);
    }

    private BackupOperations operations(Instant now)
    {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        HostPaths paths = new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
        return new BackupOperations(new BackupService(new NoLibvirt(), paths, clock), new NoLibvirt(), Optional.empty(), clock);
    }
}
