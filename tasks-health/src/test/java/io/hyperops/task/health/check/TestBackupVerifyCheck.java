package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.task.health.BackupCatalog;
import io.hyperops.task.health.Guest;
import io.hyperops.task.health.GuestState;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** backup_verify over real backup folders, laid out as the backup task writes them, with a fixed clock. */
final class TestBackupVerifyCheck
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void noBackupsIsInformation()
            throws Exception
    {
        assertThat(check().backupVerify().status()).isEqualTo(CheckStatus.INFO);
    }

    @Test
    void aNewestBackupThatFailedItsLastVerifyIsAnError()
            throws Exception
    {
        verified(backup("web", "20261125-020000"), "2026-11-25T03:00:00Z", true, "OK");
        verified(backup("web", "20261126-020000"), "2026-11-26T03:00:00Z", false, "disk vda has SHA-256 0f00, the manifest says 1a2b");
        verified(backup("db", "20261126-020000"), "2026-11-26T03:00:00Z", true, "OK");

        CheckResult result = check().backupVerify();

        assertThat(result.status()).isEqualTo(CheckStatus.ERROR);
        assertThat(result.message()).isEqualTo("newest backup failed its last verify: web/20261126-020000 (disk vda has SHA-256 0f00, the manifest says 1a2b)");
        assertThat(result.hint().orElseThrow()).contains("hyperops backup run VM");
    }

    @Test
    void anOlderFailedVerifyDoesNotMatterOnceTheNewestPassed()
            throws Exception
    {
        verified(backup("web", "20261125-020000"), "2026-11-25T03:00:00Z", false, "cut short");
        verified(backup("web", "20261126-020000"), "2026-11-26T03:00:00Z", true, "OK");

        CheckResult result = check().backupVerify();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).isEqualTo("the newest backup of 1 VM(s) passed its last verify or is newer than 192 h");
    }

    @Test
    void neverVerifiedIsAWarningOnlyAfterTheConfiguredAge()
            throws Exception
    {
        backup("web", "20261120-020000");

        assertThat(check().backupVerify().status()).as("6 days old, default age 8 days").isEqualTo(CheckStatus.OK);

        CheckResult result = check(TestingSettings.of(HealthSettings.class, "backupVerifyMaxAge", Duration.ofDays(2))).backupVerify();
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).isEqualTo("newest backup never verified in 48 h: web/20261120-020000 (154 h old)");
        assertThat(result.hint().orElseThrow()).contains("hyperops backup verify VM");
    }

    @Test
    void aVerifyFileThatDoesNotReadCountsAsFailed()
            throws Exception
    {
        Path backup = backup("web", "20261126-020000");
        Files.writeString(backup.resolve(BackupCatalog.VERIFY_FILE), "{\"ok\": tru");

        CheckResult result = check().backupVerify();

        assertThat(result.status()).isEqualTo(CheckStatus.ERROR);
        assertThat(result.message()).contains("verify.json cannot be read as a verify result");
    }

    @Test
    void freshnessCountsOnlyABackupWhoseLastVerifyDidNotFail()
            throws Exception
    {
        verified(backup("web", "20261120-020000"), "2026-11-20T03:00:00Z", true, "OK");
        verified(backup("web", "20261126-020000"), "2026-11-26T03:00:00Z", false, "cut short");
        backup("db", "20261126-020000");
        List<Guest> guests = List.of(guest("web"), guest("db"));

        CheckResult result = check().backupFreshness(guests);

        // web's newest backup failed its verify: the one before it, 6 days old, is what a restore can use
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("web (154 h ago)").doesNotContain("db");
    }

    private static Guest guest(String name)
    {
        return new Guest(name, "00000000-0000-0000-0000-00000000000" + name.length(), new GuestState(GuestState.RUNNING, 1), false, 1, 1024, List.of());
    }

    private GuestChecks check()
    {
        return check(HealthSettings.defaults());
    }

    private GuestChecks check(HealthSettings settings)
    {
        HostPaths paths = new HostPaths(folder, folder.resolve("hyperops"), folder.resolve("logs"));
        return new GuestChecks(List::of, new BackupCatalog(paths, new TestingJsonFiles(), Optional.empty()), Optional::empty, settings, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path backup(String vm, String id)
            throws Exception
    {
        Path backup = Files.createDirectories(folder.resolve("backups").resolve(vm).resolve(id));
        Files.writeString(backup.resolve(BackupCatalog.INFO_FILE), "{\"vm_name\": \"" + vm + "\", \"format_version\": 2}");
        return backup;
    }

    private static void verified(Path backup, String time, boolean ok, String message)
            throws Exception
    {
        Files.writeString(backup.resolve(BackupCatalog.VERIFY_FILE), "{\"time\": \"%s\", \"ok\": %s, \"message\": \"%s\"}".formatted(time, ok, message));
    }
}
