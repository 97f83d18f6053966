package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuests.Guest;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A full backup folder mid-write and an engine killed with SIGKILL mid-backup, on real running guests. */
@Tag("libvirt")
final class TestBackupFailures
{
    private static final Logger LOG = LoggerFactory.getLogger(TestBackupFailures.class);

    @TempDir
    Path folder;

    private TestingGuests guests;
    private Path mounted;

    @AfterEach
    void cleanUp()
            throws Exception
    {
        if (mounted != null) {
            TestingDisks.run("umount", mounted.toString());
        }
        if (guests != null) {
            guests.close();
        }
    }

    @Test
    void fullDiskMidBackupKeepsEarlierBackupsAndPivotsBack()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-full");
        TestingDisks.writeData(guest.disk(), 5, 1024);
        guests.domain(guest).create();
        mounted = Files.createDirectory(folder.resolve("small"));
        TestingDisks.run("mount", "-t", "tmpfs", "-o", "size=16m", "hbk-test-full", mounted.toString());
        try (SystemLibvirt libvirt = new SystemLibvirt()) {
            BackupOperations operations = operations(libvirt);
            BackupSettings settings = settings(mounted);
            assertThat(operations.run(settings, List.of(guest.name()), Progress.NONE, LOG)).singleElement()
                    .satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
            StoredBackup earlier = operations.store(settings).find(guest.name(), "latest");
            // room for half the earlier archive: the new one, of the same disk, cannot fit (sparse archives of this disk are only kilobytes)
            fillUpTo(mounted, Files.size(earlier.archive()) / 2);

            List<GuestResult> results = operations.run(settings, List.of(guest.name()), Progress.NONE, LOG);

            assertThat(results).singleElement().satisfies(result -> {
                assertThat(result.ok()).isFalse();
                assertThat(result.message()).contains("is full (No space left on device)", "partial archive was removed", "earlier backups are untouched");
            });
            assertThat(operations.store(settings).list(guest.name())).extracting(StoredBackup::id).containsExactly(earlier.id());
            assertThat(partials(mounted)).isEmpty();
            Files.delete(mounted.resolve("filler"));
            assertThat(operations.verify(operations.store(settings), earlier, Optional.empty(), false, Progress.NONE).ok()).isTrue();
            assertOnOwnDisk(guest);
        }
    }

    @Test
    void killedEngineMidBackupIsCleanedUpByTheNextRun()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-killed");
        TestingDisks.writeData(guest.disk(), 6, 1024);
        String expected = TestingDisks.contentChecksum(guest.disk(), folder);
        guests.domain(guest).create();
        Path backups = folder.resolve("backups");
        Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                KillableBackup.class.getName(), guest.name(), backups.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("engine.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partials(backups).isEmpty() && engine.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(partials(backups)).as("the backup process wrote no partial archive: %s", Files.readString(folder.resolve("engine.log"))).isNotEmpty();
        }
        finally {
            engine.destroyForcibly().waitFor();
        }
        // killed mid-archive: the guest is on the overlay and the partial archive is there
        assertThat(DomainXml.disks(guests.domain(guest).getXMLDesc(0)).get(0).source()).isEqualTo(ExternalSnapshot.overlayOf(guest.disk()));

        try (SystemLibvirt libvirt = new SystemLibvirt()) {
            BackupOutcome outcome = new BackupService(libvirt, paths(), Clock.systemUTC()).backup(guest.name(), settings(backups), Progress.NONE, LOG);

            assertThat(outcome.committedOverlays()).containsExactly(ExternalSnapshot.overlayOf(guest.disk()));
            assertThat(outcome.removedLeftovers()).isNotEmpty();
            assertThat(outcome.manifest().disks().get(0).sha256()).isEqualTo(expected);
        }
        assertThat(partials(backups)).isEmpty();
        assertOnOwnDisk(guest);
    }

    private void assertOnOwnDisk(Guest guest)
            throws LibvirtException
    {
        assertThat(DomainXml.disks(guests.domain(guest).getXMLDesc(0))).singleElement()
                .satisfies(disk -> assertThat(disk.source()).isEqualTo(guest.disk()));
        assertThat(ExternalSnapshot.overlayOf(guest.disk())).doesNotExist();
    }

    private static void fillUpTo(Path mount, long leaveBytes)
            throws IOException
    {
        long free = Files.getFileStore(mount).getUsableSpace();
        try (FileChannel filler = FileChannel.open(mount.resolve("filler"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] block = new byte[4096];
            ByteBuffer buffer = ByteBuffer.wrap(block);
            for (long written = 0; written < free - leaveBytes; written += block.length) {
                buffer.clear();
                filler.write(buffer);
            }
        }
    }

    private static List<Path> partials(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    // verify_qemu_img_check off: its scratch image would not fit on the 16 MiB file system, and this test is about the backup filling it
    private static BackupSettings settings(Path backupDir)
    {
        return TestingSettings.of(BackupSettings.class, "backupDir", backupDir, "verifyQemuImgCheck", false);
    }

    private BackupOperations operations(SystemLibvirt libvirt)
    {
        return new BackupOperations(new BackupService(libvirt, paths(), Clock.systemUTC()), libvirt, Optional.empty(), Clock.systemUTC());
    }

    private HostPaths paths()
    {
        return new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
    }
}
