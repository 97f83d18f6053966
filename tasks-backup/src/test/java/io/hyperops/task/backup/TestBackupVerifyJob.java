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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup-verify job over a store with a good and a damaged archive of a real qcow2. */
final class TestBackupVerifyJob
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

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
        BackupSettings settings = new BackupSettings(root, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        BackupVerifyJob job = new BackupVerifyJob(new BackupOperations(new BackupService(new NoLibvirt(), paths(), clock), new NoLibvirt(), Optional.empty(), clock),
                new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, settings));

        JobResult result = job.run(new TestingRunContext(BackupPlugin.VERIFY_JOB, new BackupVerifySettings(null), clock));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).isEqualTo("2 archives verified, 1 failed");
        BackupStore store = new BackupStore(root);
        assertThat(store.find("web", newer.id()).verify()).hasValueSatisfying(record -> assertThat(record.ok()).isFalse());
        assertThat(store.find("web", older.id()).verify()).hasValueSatisfying(record -> assertThat(record.ok()).isTrue());
        assertThat(store.find("web", "latest").id()).isEqualTo(older.id());
    }

    private static StoredBackup storeBackup(Path root, Path disk, Instant time)
            throws Exception
    {
        String id = BackupStore.newId(time, ZoneOffset.UTC);
        Path backupFolder = Files.createDirectories(root.resolve("web").resolve(id));
        String archiveName = "web-" + id + ".tar.zst";
        DiskImage image = DiskImage.inspect(disk);
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, "web", "00000000-0000-0000-0000-000000000001", time.toString(), "shut off", 1, true, false, 0, "zstd",
                3, List.of(), "stopped", 0, archiveName, "test",
                List.of(new BackupManifest.Disk("vda", disk.toString(), "qcow2", image.virtualSize(), image.allocatedBytes(), "disks/vda.raw", "")));
        try (ArchiveWriter writer = ArchiveWriter.create(backupFolder.resolve(archiveName), Compression.ZSTD, 3, 0, Optional.empty(), IoPriority.UNCHANGED, Throttle.unlimited())) {
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
