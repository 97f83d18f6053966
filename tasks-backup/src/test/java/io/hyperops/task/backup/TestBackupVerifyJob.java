package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.ManifestJson;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingRunContext;
import io.hyperops.testing.TestingSettings;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup-verify job over a store of archives of a real qcow2: a good and a damaged one, and one whose scratch image does not fit. */
final class TestBackupVerifyJob
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path folder;

    @Test
    void findsTheDamagedArchiveAndLatestSkipsIt()
            throws Exception
    {
        Path disk = folder.resolve("vda.qcow2");
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "32M");
        TestingDisks.writeData(disk, 7, 32);
        Path root = folder.resolve("backups");
        StoredBackup older = storeBackup(root, disk, NOW.minus(Duration.ofDays(1)));
        StoredBackup newer = storeBackup(root, disk, NOW);
        try (RandomAccessFile archive = new RandomAccessFile(newer.archive().toFile(), "rw")) {
            archive.seek(archive.length() / 2);
            int value = archive.read();
            archive.seek(archive.length() / 2);
            archive.write(value ^ 0x80);
        }
        JobResult result = job(root, true).run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(null), CLOCK));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).isEqualTo("2 archives verified, 1 failed (web/" + newer.id() + ")");
        assertThat(result.details().get("passed")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("web/" + older.id() + ": archive, integrity, decompression and 1 disk checksums OK; qemu-img check of the restored image: vda OK");
        assertThat(result.details().get("failed")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).singleElement(InstanceOfAssertFactories.STRING).startsWith("web/" + newer.id() + ": ");
        BackupStore store = new BackupStore(root);
        assertThat(store.find("web", newer.id()).verify()).hasValueSatisfying(record -> assertThat(record.ok()).isFalse());
        VerifyRecord good = store.find("web", older.id()).verify().orElseThrow();
        assertThat(good.ok()).isTrue();
        assertThat(good.imageChecks()).singleElement().satisfies(check -> {
            assertThat(check.target()).isEqualTo("vda");
            assertThat(check.format()).isEqualTo("qcow2");
            assertThat(check.ok()).isTrue();
            assertThat(check.result()).contains("No errors were found on the image.");
        });
        assertThat(Files.readString(older.folder().resolve(VerifyRecord.FILE_NAME))).contains("\"image_checks\"", "\"result\" : \"No errors were found on the image.");
        assertThat(older.folder().resolve(ScratchRestore.FOLDER)).doesNotExist();
        assertThat(store.find("web", "latest").id()).isEqualTo(older.id());
    }

    @Test
    void aDamageThatBreaksAParserIsRecordedAsAFailedVerifyAndTheQueueGoesOn()
            throws Exception
    {
        Path disk = disk();
        Path root = folder.resolve("backups");
        StoredBackup damaged = storeBackup(root, disk, NOW.minus(Duration.ofDays(1)), Compression.NONE);
        StoredBackup good = storeBackup(root, disk, NOW);
        // a letter in the plain tar's PAX record of the disk's size (64 MiB), which no header checksum covers
        byte[] archive = Files.readAllBytes(damaged.archive());
        int at = indexOf(archive, "GNU.sparse.realsize=67108864\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        archive[at + "GNU.sparse.realsize=6".length()] = 'x';
        Files.write(damaged.archive(), archive);

        JobResult result = job(root, false).run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(null), CLOCK));

        assertThat(result.summary()).isEqualTo("2 archives verified, 1 failed (web/" + damaged.id() + ")");
        BackupStore store = new BackupStore(root);
        assertThat(store.find("web", damaged.id()).verify()).hasValueSatisfying(record -> {
            assertThat(record.ok()).isFalse();
            assertThat(record.message()).startsWith("the archive is damaged: java.lang.NumberFormatException");
        });
        assertThat(store.find("web", good.id()).verify()).hasValueSatisfying(record -> assertThat(record.ok()).isTrue());
    }

    private static int indexOf(byte[] bytes, byte[] pattern)
    {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anArchiveThatWouldNotBeReadBeforeTheBudgetEndsIsLeftForTheNextRun()
            throws Exception
    {
        Path disk = disk();
        Path root = folder.resolve("backups");
        StoredBackup first = storeBackup(root, disk, NOW.minus(Duration.ofDays(2)));
        StoredBackup second = storeBackup(root, disk, NOW.minus(Duration.ofDays(1)));
        // each reading of the clock is 50 minutes after the one before: the first archive "took" 50 minutes
        // (100 with the listing), so the second, as large, would end past the 2 h budget although it could start
        Clock stepping = new Clock()
        {
            private Instant now = NOW.minus(Duration.ofMinutes(50));

            @Override
            public Instant instant()
            {
                now = now.plus(Duration.ofMinutes(50));
                return now;
            }

            @Override
            public ZoneId getZone()
            {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone)
            {
                return this;
            }
        };

        JobResult result = job(root, false).run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(Duration.ofHours(2)), stepping));

        assertThat(result.summary()).startsWith("1 archives verified, 0 failed");
        assertThat(result.details()).containsEntry("left_for_next_run", 1);
        BackupStore store = new BackupStore(root);
        int verified = 0;
        for (StoredBackup backup : List.of(first, second)) {
            verified += store.find("web", backup.id()).verify().isPresent() ? 1 : 0;
        }
        assertThat(verified).isEqualTo(1);
    }

    @Test
    void theImageCheckCanBeTurnedOff()
            throws Exception
    {
        Path disk = disk();
        Path root = folder.resolve("backups");
        StoredBackup backup = storeBackup(root, disk, NOW);

        JobResult result = job(root, false).run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(null), CLOCK));

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
        VerifyRecord record = new BackupStore(root).find("web", backup.id()).verify().orElseThrow();
        assertThat(record.message()).endsWith("; qemu-img check off (verify_qemu_img_check: false)");
        assertThat(record.imageChecks()).isEmpty();
    }

    @Test
    void aScratchImageThatDoesNotFitIsRefusedNotSkipped()
            throws Exception
    {
        Path disk = disk();
        Path root = Files.createDirectory(folder.resolve("small"));
        // 32 MiB of data needs about 68 MiB of scratch space (raw and qcow2 at once)
        TestingDisks.run("mount", "-t", "tmpfs", "-o", "size=48m", "hbk-test-scratch", root.toString());
        try {
            StoredBackup backup = storeBackup(root, disk, NOW);

            JobResult result = job(root, true).run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(null), CLOCK));

            assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(result.summary()).startsWith("0 archives verified, 0 failed, 1 could not be verified (web/" + backup.id()
                    + ": not enough free space for the qemu-img check scratch image in " + backup.folder() + ": it needs ");
            assertThat(result.summary()).endsWith("set verify_qemu_img_check: false in the backup job's settings to verify the archive without it)");
            assertThat(new BackupStore(root).find("web", backup.id()).verify()).as("no verdict on the archive").isEmpty();
            assertThat(backup.folder().resolve(ScratchRestore.FOLDER)).doesNotExist();
        }
        finally {
            TestingDisks.run("umount", root.toString());
        }
    }

    private Path disk()
            throws Exception
    {
        Path disk = folder.resolve("vda.qcow2");
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        TestingDisks.run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 32M", disk.toString());
        return disk;
    }

    private BackupVerifyJob job(Path root, boolean imageCheck)
    {
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", root, "verifyQemuImgCheck", imageCheck);
        return new BackupVerifyJob(new BackupOperations(new BackupService(new NoLibvirt(), paths(), CLOCK), new NoLibvirt(), Optional.empty(), CLOCK),
                new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, settings));
    }

    static StoredBackup storeBackup(Path root, Path disk, Instant time)
            throws Exception
    {
        return storeBackup(root, disk, time, Compression.ZSTD);
    }

    static StoredBackup storeBackup(Path root, Path disk, Instant time, Compression compression)
            throws Exception
    {
        String id = BackupStore.newId(time, ZoneOffset.UTC);
        Path backupFolder = Files.createDirectories(root.resolve("web").resolve(id));
        String archiveName = "web-" + id + compression.extension();
        DiskImage image = DiskImage.inspect(disk);
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, "web", "00000000-0000-0000-0000-000000000001", time.toString(), "shut off", 1, true, false, 0, "zstd",
                3, List.of(), "stopped", 0, archiveName, "test",
                List.of(new BackupManifest.Disk("vda", disk.toString(), "qcow2", image.virtualSize(), image.allocatedBytes(), "disks/vda.raw", "")));
        try (ArchiveWriter writer = ArchiveWriter.create(backupFolder.resolve(archiveName), compression, 3, 0, Optional.empty(), IoPriority.UNCHANGED, Throttle.unlimited())) {
            writer.addBytes("manifest.json", ManifestJson.bytes(manifest));
            String sha256 = writer.addDisk("disks/vda.raw", image, done -> { });
            long size = writer.commit();
            ManifestJson.write(backupFolder.resolve(ManifestJson.FILE_NAME), manifest.completed(List.of(manifest.disks().get(0).withSha256(sha256)), size, 1));
        }
        return new BackupStore(root).find("web", id);
    }

    private HostPaths paths()
    {
        return new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
    }
}
