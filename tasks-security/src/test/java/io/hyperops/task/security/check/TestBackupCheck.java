package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingHostTree;
import io.hyperops.task.security.TestingJobHistory;
import io.hyperops.testing.TestingJsonFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

final class TestBackupCheck
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Path KEY = Path.of("/etc/hypervisor/backup-keys.asc");

    @TempDir
    Path folder;

    private TestingHostTree tree;
    private Path backups;
    private final TestingJobHistory history = new TestingJobHistory();

    @BeforeEach
    void encryptedBackup()
            throws Exception
    {
        tree = new TestingHostTree(folder.resolve("root"));
        backups = folder.resolve("data/backups");
        Path backup = backups.resolve("web/20261125-020000");
        Files.createDirectories(backup);
        Files.writeString(backup.resolve("backup-info.json"), "{\"vm_name\": \"web\", \"encrypted\": true}");
        // a broken folder beside it is not a backup and must not count as the newest
        Files.createDirectories(backups.resolve("web/20261126-020000"));
    }

    @Test
    void encryptedToAPresentKeyThatTheLastVerifyProvedIsOk()
            throws Exception
    {
        tree.file(KEY.toString(), "key", "rw-r-----");
        history.run("backup-verify", RunOutcome.SUCCESS, NOW.minus(Duration.ofDays(3)));

        Finding finding = check();

        assertThat(finding.severity()).isEqualTo(CheckStatus.OK);
        assertThat(finding.evidence()).contains("1 guest(s)", "backup-verify succeeded at 2026-11-23T12:00:00Z");
    }

    @Test
    void aMissingKeyNoRecentVerifyDecryptedMeansTheBackupsMayNotBeRestorable()
            throws Exception
    {
        history.run("backup-verify", RunOutcome.SUCCESS, NOW.minus(Duration.ofDays(30)));

        Finding finding = check();

        assertThat(finding.severity()).isEqualTo(CheckStatus.ERROR);
        assertThat(finding.fix()).get().asString().contains("Put the backup key back at " + KEY);
    }

    @Test
    void withoutAKeyFileARecentVerifyThatDecryptedIsTheProof()
            throws Exception
    {
        // a host that encrypts to a GnuPG keyring (gpg_home, gpg_recipients) has no key file at all
        history.run("backup-verify", RunOutcome.SUCCESS, NOW.minus(Duration.ofDays(1)));

        Finding finding = check();

        assertThat(finding.severity()).isEqualTo(CheckStatus.OK);
        assertThat(finding.evidence()).contains("no key file at " + KEY, "backup-verify decrypted them");
    }

    @Test
    void aFailedLastVerifyOrAnOldSuccessOrNoVerifyJobIsAWarning()
            throws Exception
    {
        tree.file(KEY.toString(), "key", "rw-r-----");
        history.run("backup-verify", RunOutcome.SUCCESS, NOW.minus(Duration.ofDays(2))).run("backup-verify", RunOutcome.FAILED, NOW.minus(Duration.ofHours(1)));
        assertThat(check().evidence()).contains("the last backup-verify run ended failed");

        TestingJobHistory old = new TestingJobHistory().run("backup-verify", RunOutcome.SUCCESS, NOW.minus(Duration.ofDays(9)));
        assertThat(new BackupCheck(new HostRoot(tree.root()), new TestingJsonFiles(), old).check(backups, KEY, "backup-verify", Duration.ofDays(8), NOW).evidence())
                .contains("last succeeded at 2026-11-17T12:00:00Z, longer ago than 8d");

        Finding none = new BackupCheck(new HostRoot(tree.root()), new TestingJsonFiles(), new TestingJobHistory())
                .check(backups, KEY, "backup-verify", Duration.ofDays(8), NOW);
        assertThat(none.severity()).isEqualTo(CheckStatus.WARN);
        assertThat(none.evidence()).contains("backup-verify is no job here");
    }

    private Finding check()
            throws Exception
    {
        return new BackupCheck(new HostRoot(tree.root()), new TestingJsonFiles(), history).check(backups, KEY, "backup-verify", Duration.ofDays(8), NOW);
    }
}
