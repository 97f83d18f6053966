package io.hyperops.task.health.cleanup;

import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.health.BackupCatalog;
import io.hyperops.task.health.MetricsSettings;
import io.hyperops.task.health.TestingLibvirtConnection;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

final class TestStorageCleanup
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneId.of("UTC"));
    private static final long MB = 1024 * 1024;
    private static final long GB = 1024 * MB;

    @TempDir
    Path folder;

    private HostPaths paths;
    private PlayedDisk disk;

    @BeforeEach
    void setUp()
            throws IOException
    {
        paths = new HostPaths(folder.resolve("data"), folder.resolve("data/hyperops"), folder.resolve("data/logs"));
        Files.createDirectories(paths.dataDir());
        disk = new PlayedDisk(100 * GB);
    }

    @Test
    void appliesTheSeedsRulesWhenSpaceIsPlenty()
            throws Exception
    {
        Path oldLog = file("data/logs/hyperops.log.3", 10, days(91));
        Path recentLog = file("data/logs/hyperops.log", 10, days(89));
        Path oldPartial = file("data/isos/.partial-debian.iso", 5, days(2));
        Path freshPartial = file("data/isos/.partial-ubuntu.iso", 5, Duration.ofHours(2));
        Path oldTmp = file("data/xml/web.xml.tmp", 1, days(2));
        Path oldMetrics = file("data/metrics-20250520-120000.json", 1, Duration.ZERO);
        Path newMetrics = file("data/metrics-20250530-120000.json", 1, Duration.ZERO);
        Path oldBackup = backup("web", "20250101-020000", true, false);

        JobResult result = run(settings());

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(oldLog).doesNotExist();
        assertThat(oldPartial).doesNotExist();
        assertThat(oldTmp).doesNotExist();
        assertThat(oldMetrics).doesNotExist();
        assertThat(List.of(recentLog, freshPartial, newMetrics, oldBackup)).allSatisfy(path -> assertThat(path).exists());
        assertThat(result.summary()).startsWith("deleted 4 item(s), 17 MB (1 logs, 2 partials, 1 metrics); 100 GB free, min_free_gb 20");
        assertThat(result.details()).containsEntry("low_space", false);
    }

    @Test
    void freesSpaceInTheDocumentedOrderWhenLow()
            throws Exception
    {
        disk = new PlayedDisk(19 * GB);
        Path oldRunLog = file("data/logs/runs/backup/run-1.log", 300, days(20));
        Path newRunLog = file("data/logs/runs/backup/run-2.log", 300, days(2));
        Path metrics = file("data/metrics-20250530-120000.json", 200, Duration.ZERO);
        // web: the newest good backup stays, the protected one stays, the oldest unprotected goes first
        Path webOldest = backup("web", "20250301-020000", true, false);
        Path webProtected = backup("web", "20250302-020000", true, true);
        Path webNewestGood = backup("web", "20250310-020000", true, false);
        Path webFailedNewer = backup("web", "20250531-020000", false, false);
        // db: its only backup is old but its newest good one
        Path dbOnly = backup("db", "20250101-020000", true, false);
        disk.files(webOldest, 1000);

        JobResult result = run(settings());

        assertThat(oldRunLog).doesNotExist();
        assertThat(metrics).doesNotExist();
        assertThat(webOldest).doesNotExist();
        assertThat(List.of(newRunLog, webProtected, webNewestGood, webFailedNewer, dbOnly)).allSatisfy(path -> assertThat(path).exists());
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(result.details()).containsEntry("low_space", true).containsEntry("backups_deleted", List.of(webOldest.toString()));
        assertThat(result.summary()).contains("1 run_logs_low_space, 1 metrics_low_space, 1 backups_low_space");
    }

    @Test
    void keepsTheNewestBackupThatPassedItsVerifyWhenTheNewestFailedIt()
            throws Exception
    {
        disk = new PlayedDisk(19 * GB);
        Path webOldest = backup("web", "20250301-020000", true, false);
        Path webVerified = backup("web", "20250310-020000", true, false);
        Files.writeString(webVerified.resolve(BackupCatalog.VERIFY_FILE), "{\"time\": \"2025-03-10T03:00:00Z\", \"ok\": true, \"message\": \"OK\"}");
        Path webNewest = backup("web", "20250320-020000", true, false);
        Files.writeString(webNewest.resolve(BackupCatalog.VERIFY_FILE), "{\"time\": \"2025-03-20T03:00:00Z\", \"ok\": false, \"message\": \"cut short\"}");
        disk.files(webOldest, 500);
        disk.files(webVerified, 500);
        disk.files(webNewest, 500);

        JobResult result = run(settings());

        // low on space: the oldest goes; the newest good one and the newest that passed its verify stay
        assertThat(webOldest).doesNotExist();
        assertThat(List.of(webVerified, webNewest)).allSatisfy(path -> assertThat(path).exists());
        assertThat(result.details()).containsEntry("backups_deleted", List.of(webOldest.toString()));
    }

    @Test
    void stopsAsSoonAsThereIsEnoughSpace()
            throws Exception
    {
        disk = new PlayedDisk(20 * GB - 100 * MB);
        Path oldRunLog = file("data/logs/runs/backup/run-1.log", 150, days(20));
        Path metrics = file("data/metrics-20250530-120000.json", 150, Duration.ZERO);

        JobResult result = run(settings());

        assertThat(oldRunLog).doesNotExist();
        assertThat(metrics).exists();
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
    }

    @Test
    void warnsWhenNothingMoreMayGo()
            throws Exception
    {
        disk = new PlayedDisk(5 * GB);
        Path only = backup("web", "20250101-020000", true, false);
        Path kept = backup("web", "20250102-020000", false, true);

        JobResult result = run(settings());

        assertThat(List.of(only, kept)).allSatisfy(path -> assertThat(path).exists());
        assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.summary()).contains("still below min_free_gb: nothing else may go automatically");
    }

    @Test
    void aDryRunDeletesNothingAndReportsWhatWouldGo()
            throws Exception
    {
        disk = new PlayedDisk(19 * GB);
        Path oldLog = file("data/logs/hyperops.log.3", 10, days(91));
        Path oldRunLog = file("data/logs/runs/backup/run-1.log", 2000, days(20));

        JobResult result = run(TestingSettings.of(StorageCleanupSettings.class, "dryRun", true));

        assertThat(List.of(oldLog, oldRunLog)).allSatisfy(path -> assertThat(path).exists());
        assertThat(result.summary()).startsWith("would delete 2 item(s), 2010 MB (1 logs, 1 run_logs_low_space); 20 GB free after, min_free_gb 20");
        assertThat(result.details()).containsEntry("dry_run", true);
    }

    @Test
    void backupsAreFoundInTheBackupTasksFolderWithItsSecondInASecondNamesAndDeletedThroughIt()
            throws Exception
    {
        disk = new PlayedDisk(19 * GB);
        Path root = folder.resolve("elsewhere");
        List<String> asked = new ArrayList<>();
        BackupStorage storage = new BackupStorage()
        {
            @Override
            public Path root()
            {
                return root;
            }

            @Override
            public void delete(String vm, Path backup)
                    throws IOException
            {
                asked.add(vm + "/" + backup.getFileName());
                if (backup.getFileName().toString().endsWith("-2")) {
                    throw new IllegalStateException("another backup, verify, restore or prune of web is running");
                }
                try (Stream<Path> walk = Files.walk(backup)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        };
        Path oldest = backup(root, "web", "20250101-020000");
        Path secondThatSecond = backup(root, "web", "20250101-020000-2");
        Path newest = backup(root, "web", "20250301-020000");

        StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.of(storage)), disk, TestingLibvirtConnection.testDriver(), jobs());
        JobResult result = new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings(), CLOCK));

        assertThat(asked).containsExactlyInAnyOrder("web/20250101-020000", "web/20250101-020000-2");
        assertThat(oldest).doesNotExist();
        assertThat(secondThatSecond).as("its guest's lock was taken: kept, and said").exists();
        assertThat(newest).exists();
        assertThat(result.details().get("failures")).asString().contains("20250101-020000-2").contains("another backup, verify, restore or prune of web is running");
    }

    @Test
    @SuppressWarnings("try") // the channel is held open by the try block, as a guest holds its disk
    void anOpenTemporaryFileIsInUseWhateverItsAgeAndBackupsOnAnotherFileSystemStay()
            throws Exception
    {
        Path inUse = file("data/disks/web-overlay.tmp", 1, days(3));
        Path stale = file("data/disks/old.tmp", 1, days(3));
        disk = new PlayedDisk(19 * GB);
        Path root = Files.createDirectories(folder.resolve("other-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=8m", "hbk-test-backups", root.toString());
        try (FileChannel guestHoldsIt = FileChannel.open(inUse, StandardOpenOption.WRITE)) {
            Path old = backup(root, "web", "20250101-020000");
            backup(root, "web", "20250301-020000");
            BackupStorage storage = deletingNothing(root);
            StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.of(storage)), disk, TestingLibvirtConnection.testDriver(), jobs());

            new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings(), CLOCK));

            assertThat(inUse).exists();
            assertThat(stale).doesNotExist();
            assertThat(old).exists();
        }
        finally {
            run("umount", root.toString());
        }
    }

    @Test
    void backupsOfAGuestWhoseFolderIsLinkedToAnotherDiskStay()
            throws Exception
    {
        disk = new PlayedDisk(19 * GB);
        Path root = Files.createDirectories(folder.resolve("data/backups"));
        Path elsewhere = Files.createDirectories(folder.resolve("archive-disk"));
        run("mount", "-t", "tmpfs", "-o", "size=8m", "hbk-test-archive", elsewhere.toString());
        try {
            Files.createSymbolicLink(root.resolve("db"), Files.createDirectories(elsewhere.resolve("db")));
            Path old = backup(root, "db", "20250101-020000");
            backup(root, "db", "20250301-020000");
            BackupStorage storage = deletingNothing(root);
            StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.of(storage)), disk, TestingLibvirtConnection.testDriver(), jobs());

            new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings(), CLOCK));

            assertThat(old).exists();
        }
        finally {
            run("umount", elsewhere.toString());
        }
    }

    @Test
    void aTemporaryFileAStoppedGuestIsDefinedOnIsKept()
            throws Exception
    {
        // a guest shut off over the weekend holds nothing open; its definition still names its top image
        Path overlay = file("data/disks/web-overlay.tmp", 1, days(3));
        Path stale = file("data/disks/old.tmp", 1, days(3));
        org.libvirt.Connect host = new org.libvirt.Connect(TestingLibvirtConnection.TEST_DRIVER, false);
        try {
            // the test driver keeps one host per process while a connection to it is open
            host.domainDefineXML("<domain type='test'><name>hk-cleanup-web</name><memory>65536</memory><os><type>hvm</type></os>"
                    + "<devices><disk type='file' device='disk'><source file='" + overlay + "'/><target dev='vda'/></disk></devices></domain>");

            run(settings());

            assertThat(overlay).exists();
            assertThat(stale).doesNotExist();
        }
        finally {
            host.close();
        }
    }

    @Test
    void metricsAreKeptAsLongAsTheMetricsJobKeepsThemUnlessCleanupSaysOtherwise()
            throws Exception
    {
        Path tenDaysOld = metricsFile(days(10));
        Path fortyDaysOld = metricsFile(days(40));
        JobAccess thirtyDays = new TestingJobAccess().with("metrics", TestingSettings.of(MetricsSettings.class, "retention", Duration.ofDays(30)));
        StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.empty()), disk,
                TestingLibvirtConnection.testDriver(), thirtyDays);

        new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings(), CLOCK));

        assertThat(tenDaysOld).as("the metrics job keeps 30 days").exists();
        assertThat(fortyDaysOld).doesNotExist();
        new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", TestingSettings.of(StorageCleanupSettings.class, "metricsRetention", Duration.ofDays(7)), CLOCK));
        assertThat(tenDaysOld).as("set on the cleanup itself").doesNotExist();
    }

    @Test
    void withoutAnAnswerFromLibvirtNoTemporaryFileIsDeleted()
            throws Exception
    {
        Path stale = file("data/disks/old.tmp", 1, days(3));
        Path partial = file("data/.partial-download", 1, days(3));
        StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.empty()), disk,
                TestingLibvirtConnection.unavailable("libvirtd is not running"), jobs());

        new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings(), CLOCK));

        assertThat(stale).as("any *.tmp could be a guest's").exists();
        assertThat(partial).doesNotExist();
    }

    /** A metrics file named for {@code age} before the test's clock, in its zone (UTC). */
    private Path metricsFile(Duration age)
            throws IOException
    {
        String name = java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneId.of("UTC")).format(CLOCK.instant().minus(age));
        return file("data/metrics-" + name + ".json", 1, Duration.ZERO);
    }

    /** A backup folder whose backups must all stay: any deletion fails the test. */
    private static BackupStorage deletingNothing(Path root)
    {
        return new BackupStorage()
        {
            @Override
            public Path root()
            {
                return root;
            }

            @Override
            public void delete(String vm, Path backup)
            {
                throw new AssertionError("a backup on another file system frees nothing on the data folder's: " + backup);
            }
        };
    }

    private static JobAccess jobs()
    {
        return new TestingJobAccess().with("metrics", MetricsSettings.defaults());
    }

    private static void run(String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static Path backup(Path root, String vm, String id)
            throws IOException
    {
        Path backup = Files.createDirectories(root.resolve(vm).resolve(id));
        Files.writeString(backup.resolve(BackupCatalog.INFO_FILE), "{\"vm_name\": \"" + vm + "\"}");
        return backup;
    }

    private static StorageCleanupSettings settings()
    {
        return StorageCleanupSettings.defaults();
    }

    private JobResult run(StorageCleanupSettings settings)
            throws Exception
    {
        StorageCleanupService service = new StorageCleanupService(paths, new BackupCatalog(paths, new TestingJsonFiles(), Optional.empty()), disk, TestingLibvirtConnection.testDriver(), jobs());
        return new StorageCleanupJob(service).run(new TestingRunContext("storage-cleanup", settings, CLOCK));
    }

    /** A sparse file of the given size, last modified {@code age} ago. */
    private Path file(String path, long megabytes, Duration age)
            throws IOException
    {
        Path file = folder.resolve(path);
        Files.createDirectories(file.getParent());
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(0);
            if (megabytes > 0) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), megabytes * MB - 1);
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(CLOCK.instant().minus(age)));
        disk.files(file, megabytes);
        return file;
    }

    private Path backup(String vm, String time, boolean good, boolean isProtected)
            throws IOException
    {
        Path backup = Files.createDirectories(paths.dataDir().resolve("backups").resolve(vm).resolve(time));
        if (good) {
            Files.writeString(backup.resolve(BackupCatalog.INFO_FILE), "{\"vm_name\": \"" + vm + "\", \"timestamp\": \"" + time + "\"}");
        }
        if (isProtected) {
            Files.writeString(backup.resolve(BackupCatalog.PROTECTED_MARKER), "");
        }
        return backup;
    }

    private static Duration days(int days)
    {
        return Duration.ofDays(days);
    }

    /** A file system whose free space grows by the size of what is deleted from it. */
    private static final class PlayedDisk
            implements FreeSpace
    {
        private final long freeAtStart;
        private final java.util.Map<Path, Long> sizes = new java.util.HashMap<>();

        PlayedDisk(long freeAtStart)
        {
            this.freeAtStart = freeAtStart;
        }

        void files(Path path, long megabytes)
        {
            sizes.put(path, megabytes * MB);
        }

        @Override
        public long usableBytes(Path folder)
        {
            long freed = 0;
            for (java.util.Map.Entry<Path, Long> entry : sizes.entrySet()) {
                if (!Files.exists(entry.getKey())) {
                    freed += entry.getValue();
                }
            }
            return freeAtStart + freed;
        }
    }
}
