package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuests.Guest;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backups of real QEMU guests with data on their disks, on the host's libvirtd, restored and checked by content. */
@Tag("libvirt")
final class TestBackupGuests
{
    private static final Logger LOG = LoggerFactory.getLogger(TestBackupGuests.class);

    private static TestingGpg gpg;
    private static SystemLibvirt libvirt;

    @TempDir
    Path folder;

    private TestingGuests guests;
    private final List<String> restoredGuests = new ArrayList<>();

    @BeforeAll
    static void start()
            throws Exception
    {
        gpg = TestingGpg.generate();
        libvirt = new SystemLibvirt();
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        gpg.close();
        libvirt.close();
    }

    @AfterEach
    void removeGuests()
            throws Exception
    {
        for (String name : restoredGuests) {
            Domain domain = libvirt.call(connect -> connect.domainLookupByName(name));
            if (domain.isActive() == 1) {
                domain.destroy();
            }
            domain.undefine();
        }
        if (guests != null) {
            guests.close();
        }
    }

    @Test
    void runningGuestEncryptedRestoresBitIdenticalAsNewGuestThatStarts()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-running");
        TestingDisks.writeData(guest.disk(), 2, 1024);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        String checksum = TestingDisks.contentChecksum(guest.disk(), folder);
        guests.domain(guest).create();
        BackupSettings settings = settings(true);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        StoredBackup backup = store(settings).find(guest.name(), "latest");
        assertThat(backup.manifest().vmState()).isEqualTo("running");
        assertThat(backup.manifest().consistency()).startsWith("external-snapshot");
        assertThat(backup.manifest().encrypted()).isTrue();
        assertThat(backup.manifest().recipientKeyIds()).hasSize(1);
        assertThat(backup.manifest().disks()).singleElement().satisfies(disk -> assertThat(disk.sha256()).isEqualTo(checksum));
        assertThat(backup.verify()).hasValueSatisfying(record -> assertThat(record.ok()).as(record.message()).isTrue());
        assertGuestOnItsOwnDisk(guest);

        Path plain = folder.resolve("by-stock-gpg.tar.zst");
        gpg.decrypt(backup.archive(), plain);
        assertThat(Files.size(plain)).isPositive();

        String newName = TestingGuests.NAME_PREFIX + "restored-" + UUID.randomUUID().toString().substring(0, 8);
        Path restoreFolder = Files.createDirectory(folder.resolve("restored"));
        new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), "latest", Optional.of(newName), Optional.of(restoreFolder)),
                settings.decryptionKeys(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG);
        restoredGuests.add(newName);

        Domain restored = libvirt.call(connect -> connect.domainLookupByName(newName));
        assertThat(restored.getUUIDString()).isNotEqualTo(guest.uuid());
        Path restoredDisk = restoreFolder.resolve(newName + "-vda.qcow2");
        assertThat(TestingDisks.contentSha256(restoredDisk, folder)).isEqualTo(expected);
        restored.create();
        assertThat(restored.getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
    }

    @Test
    void runningLinkedCloneIsCommittedIntoItsOwnDiskNeverIntoItsTemplateAndAnOverlayLeftUnusedIsRemoved()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-clone");
        TestingDisks.writeData(guest.disk(), 5, 1024);
        // the disk so far becomes a template that other guests could share, and the guest's disk a linked clone on it
        Path template = guest.disk().resolveSibling(guest.disk().getFileName() + ".template");
        Files.move(guest.disk(), template);
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", template.toString(), "-F", "qcow2", guest.disk().toString());
        TestingDisks.run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 5M 2M", guest.disk().toString());
        String templateBytes = TestingDisks.sha256(template);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        // what a run killed after its pivot but before deleting the overlay leaves: an overlay on the disk that nothing uses
        Path overlay = ExternalSnapshot.overlayOf(guest.disk());
        TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", guest.disk().toString(), "-F", "qcow2", overlay.toString());
        guests.domain(guest).create();
        BackupSettings settings = settings(false);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        assertGuestOnItsOwnDisk(guest);
        // the commit went into the clone's own file: the template is byte for byte what it was, and still the clone's backing file
        assertThat(TestingDisks.sha256(template)).isEqualTo(templateBytes);
        assertThat(TestingDisks.run("qemu-img", "info", "-U", "--output=json", guest.disk().toString())).contains("\"backing-filename\": \"" + template + "\"");
        assertThat(TestingDisks.contentSha256(guest.disk(), folder)).isEqualTo(expected);

        Path restoreFolder = Files.createDirectory(folder.resolve("restored"));
        String newName = TestingGuests.NAME_PREFIX + "restored-" + UUID.randomUUID().toString().substring(0, 8);
        new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), "latest", Optional.of(newName), Optional.of(restoreFolder)),
                Optional.empty(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG);
        restoredGuests.add(newName);
        assertThat(TestingDisks.contentSha256(restoreFolder.resolve(newName + "-vda.qcow2"), folder)).isEqualTo(expected);
    }

    @Test
    void aStoppedGuestStartedWhileItsDisksAreCopiedLeavesNoBackup()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-starts");
        TestingDisks.writeData(guest.disk(), 2, 1024);
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"));
        // the guest starts at the copy's first progress report, however slow the machine: after qemu-img inspected the
        // disk (without -U, which QEMU's write lock would refuse) and before the copy's end, where the backup checks
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<Exception> startFailure = new AtomicReference<>();
        Progress startAtFirstReport = startingAtFirstReport(guest, started, startFailure);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), startAtFirstReport, LOG);

        assertThat(started).as("the copy reported progress").isTrue();
        assertThat(startFailure.get()).isNull();
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains(guest.name() + " was started while its disks were copied");
        });
        assertThat(store(settings).list(guest.name())).isEmpty();
    }

    @Test
    void aGuestThatStoppedOnItsOverlayIsCommittedOfflineThenBackedUp()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-offline");
        TestingDisks.writeData(guest.disk(), 6, 1024);
        guests.domain(guest).create();
        // what a backup killed mid-archive leaves, after which the guest went down: a stopped guest on its overlay
        ExternalSnapshot.create(guests.domain(guest), DomainXml.disks(guests.domain(guest).getXMLDesc(0)), LOG);
        guests.domain(guest).destroy();
        Path overlay = ExternalSnapshot.overlayOf(guest.disk());
        assertThat(DomainXml.disks(guests.domain(guest).getXMLDesc(0))).singleElement().satisfies(disk -> assertThat(disk.source()).isEqualTo(overlay));
        // and what the guest wrote while on it
        TestingDisks.run("qemu-io", "-f", "qcow2", "-c", "write -P 0x77 8M 1M", overlay.toString());
        String expected = TestingDisks.contentChecksum(overlay, folder);
        BackupSettings settings = settings(false);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        assertGuestOnItsOwnDisk(guest);
        assertThat(TestingDisks.contentChecksum(guest.disk(), folder)).as("the overlay's writes are in the disk").isEqualTo(expected);
        assertThat(store(settings).find(guest.name(), "latest").manifest().disks()).singleElement().satisfies(disk -> assertThat(disk.sha256()).isEqualTo(expected));
    }

    @Test
    void nothingIsPrunedAfterABackupThatWasNotVerifiedAndAMissingSecretKeyStopsOnlyTheVerify()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-noprune");
        TestingDisks.writeData(guest.disk(), 1, 1024);
        Path backups = folder.resolve("backups");
        // keep one: a verified run would prune the first backup after the second
        BackupSettings unverified = TestingSettings.of(BackupSettings.class, "backupDir", backups, "maxBackupsPerVm", 1, "verifyAfterBackup", false);
        assertThat(operations().run(unverified, List.of(guest.name()), Progress.NONE, LOG)).singleElement().satisfies(result -> assertThat(result.ok()).isTrue());
        // encrypted, with the secret key gone: the backup is made, it cannot be verified, so nothing goes
        Path missing = folder.resolve("gone-secret.asc");
        BackupSettings noKey = TestingSettings.of(BackupSettings.class, "backupDir", backups, "maxBackupsPerVm", 1, "encrypt", true, "recipientKeyFile", gpg.publicKey(),
                "secretKeyFile", Files.copy(gpg.secretKey(), missing));
        Files.delete(missing);

        List<GuestResult> results = operations().run(noKey, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.message()).contains("not verified: ").contains(missing.toString()).contains("nothing pruned: pruning runs only after a verified backup");
        });
        assertThat(store(unverified).list(guest.name())).hasSize(2);
        // once a backup is verified, the rules apply again
        BackupSettings verified = TestingSettings.of(BackupSettings.class, "backupDir", backups, "maxBackupsPerVm", 1);
        assertThat(operations().run(verified, List.of(guest.name()), Progress.NONE, LOG)).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        assertThat(store(verified).list(guest.name())).hasSize(1);
    }

    @Test
    void stoppedGuestPlainRestoresInPlaceBitIdentical()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-stopped");
        TestingDisks.writeData(guest.disk(), 3, 1024);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        BackupSettings settings = settings(false);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        StoredBackup backup = store(settings).find(guest.name(), "latest");
        assertThat(backup.manifest().consistency()).isEqualTo("stopped");
        assertThat(backup.manifest().encrypted()).isFalse();
        assertThat(backup.archive().getFileName().toString()).endsWith(".tar.zst");
        // the guest's disk in the clear: for its owner only
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.archive()))).isEqualTo("rw-------");

        TestingDisks.writeData(guest.disk(), 9, 1024);
        assertThat(TestingDisks.contentSha256(guest.disk(), folder)).isNotEqualTo(expected);
        // in place but into another folder that has a file of the disk's name: someone else's, refused and left alone
        Path elsewhere = Files.createDirectory(folder.resolve("elsewhere"));
        Path foreign = Files.writeString(elsewhere.resolve(guest.disk().getFileName().toString()), "another guest's disk");
        assertThatThrownBy(() -> new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), backup.id(), Optional.empty(), Optional.of(elsewhere)),
                Optional.empty(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG))
                .hasMessageContaining(foreign + " exists and is not " + guest.name() + "'s disk");
        assertThat(Files.readString(foreign)).isEqualTo("another guest's disk");
        // a stopped restore left its raw file full of other data: it must not show through the new one's holes
        TestingDisks.run("sh", "-c", "head -c 80M /dev/urandom > '" + guest.disk() + ".restore.raw'");

        new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), backup.id(), Optional.empty(), Optional.empty()),
                Optional.empty(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG);

        assertThat(TestingDisks.contentSha256(guest.disk(), folder)).isEqualTo(expected);
        assertThat(guest.disk().resolveSibling(guest.disk().getFileName() + ".pre-restore")).doesNotExist();
        guests.domain(guest).create();
        assertThat(guests.domain(guest).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
    }

    @Test
    void aGuestStartedDuringItsRestoreKeepsTheDisksItRunsOnAndNothingIsLeftBehind()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-restart");
        TestingDisks.writeData(guest.disk(), 2, 1024);
        BackupSettings settings = settings(false);
        assertThat(operations().run(settings, List.of(guest.name()), Progress.NONE, LOG)).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        TestingDisks.writeData(guest.disk(), 7, 1024);
        String current = TestingDisks.contentChecksum(guest.disk(), folder);
        // the guest starts at the restore's first progress report, however slow the machine: after the
        // restore found it stopped, before the restored disk is swapped in
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<Exception> startFailure = new AtomicReference<>();
        Progress startAtFirstReport = startingAtFirstReport(guest, started, startFailure);

        assertThatThrownBy(() -> new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), "latest", Optional.empty(), Optional.empty()),
                Optional.empty(), settings.threadIoPriority(), Throttle.unlimited(), startAtFirstReport, LOG))
                .hasMessageContaining(guest.name() + " is running; shut it down first");
        assertThat(started).as("the restore reported progress").isTrue();
        assertThat(startFailure.get()).isNull();

        assertThat(guests.domain(guest).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
        guests.domain(guest).destroy();
        assertThat(TestingDisks.contentChecksum(guest.disk(), folder)).as("the disk the guest ran on is untouched").isEqualTo(current);
        try (var files = Files.list(guest.disk().getParent())) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(file -> file.contains(".restore") || file.contains(".pre-restore"));
        }
    }

    @Test
    void aGuestLeftOnABackupOverlayIsPointedAtItsRestoredDisk()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-repoint");
        TestingDisks.writeData(guest.disk(), 3, 1024);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        BackupSettings settings = settings(false);
        assertThat(operations().run(settings, List.of(guest.name()), Progress.NONE, LOG)).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        // what a backup killed mid-archive leaves, after which the guest went down: its definition names the overlay
        guests.domain(guest).create();
        ExternalSnapshot.create(guests.domain(guest), DomainXml.disks(guests.domain(guest).getXMLDesc(0)), LOG);
        guests.domain(guest).destroy();
        Path overlay = ExternalSnapshot.overlayOf(guest.disk());
        TestingDisks.run("qemu-io", "-f", "qcow2", "-c", "write -P 0x55 4M 1M", overlay.toString());

        new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), "latest", Optional.empty(), Optional.empty()),
                Optional.empty(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG);

        assertThat(DomainXml.disks(guests.domain(guest).getXMLDesc(0))).singleElement().satisfies(disk -> assertThat(disk.source()).isEqualTo(guest.disk()));
        assertThat(TestingDisks.contentSha256(guest.disk(), folder)).isEqualTo(expected);
        guests.domain(guest).create();
        assertThat(guests.domain(guest).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
    }

    /** Progress that starts the guest at its first report, on the reporting thread; a failure to start is kept. */
    private Progress startingAtFirstReport(Guest guest, AtomicBoolean started, AtomicReference<Exception> startFailure)
    {
        return (message, done, total) -> {
            if (started.compareAndSet(false, true)) {
                try {
                    guests.domain(guest).create();
                }
                catch (LibvirtException e) {
                    startFailure.set(e);
                }
            }
        };
    }

    @Test
    void encryptedToAKeyringRecipientByEmailVerifiesAndRestoresThroughGpgAndStockGpgReadsIt()
            throws Exception
    {
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-keyring");
        TestingDisks.writeData(guest.disk(), 4, 1024);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        // the seed's GPG_RECIPIENT with gpg's own keyring; no secret_key_file, so verify and restore decrypt through gpg;
        // the lowest I/O priority and a limit the backup passes through (high enough not to slow the test)
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"), "ioPriority", "idle", "bandwidthLimit", 1024, "encrypt", true, "gpgHome", gpg.home(), "gpgRecipients", List.of(TestingGpg.EMAIL), "passphraseFile", gpg.passphraseFile());

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        StoredBackup backup = store(settings).find(guest.name(), "latest");
        assertThat(backup.manifest().encrypted()).isTrue();
        assertThat(backup.manifest().recipientKeyIds()).isEqualTo(RecipientKeys.load(gpg.publicKey(), Instant.now()).keyIds());
        assertThat(backup.verify()).hasValueSatisfying(record -> assertThat(record.ok()).as(record.message()).isTrue());
        Path plain = folder.resolve("keyring-by-stock-gpg.tar.zst");
        gpg.decrypt(backup.archive(), plain);
        assertThat(TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + plain + " | tar -t"), folder)).contains("disks/vda.raw", "domain.xml");

        TestingDisks.writeData(guest.disk(), 8, 1024);
        new RestoreService(libvirt).restore(store(settings), new RestoreRequest(guest.name(), backup.id(), Optional.empty(), Optional.empty()),
                settings.decryptionKeys(), settings.threadIoPriority(), Throttle.unlimited(), Progress.NONE, LOG);

        assertThat(TestingDisks.contentSha256(guest.disk(), folder)).isEqualTo(expected);
    }

    @Test
    void missingOrWrongRecipientKeyIsRefusedWhenTheConfigIsReadAndWhenABackupStarts()
            throws Exception
    {
        Path missing = folder.resolve("no-such-keys.asc");
        assertThatThrownBy(() -> encryptedTo(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing + " does not exist").hasMessageContaining("gpg --armor --export");
        Path wrong = Files.writeString(folder.resolve("wrong.asc"), "not a key\n");
        assertThatThrownBy(() -> encryptedTo(wrong)).hasMessageContaining(wrong + " holds no OpenPGP public keys");
        assertThatThrownBy(() -> encryptedTo(gpg.secretKey())).hasMessageContaining("holds no OpenPGP public keys");

        // a key that goes away after the config was read: the run refuses before touching the guest
        guests = TestingGuests.connect();
        Guest guest = guests.createStopped("bk-nokey");
        Path vanishing = Files.copy(gpg.publicKey(), folder.resolve("vanishing.asc"));
        BackupSettings settings = encryptedTo(vanishing);
        Files.delete(vanishing);

        List<GuestResult> results = operations().run(settings, List.of(guest.name()), Progress.NONE, LOG);

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains(vanishing + " does not exist");
        });
        assertThat(store(settings).list(guest.name())).isEmpty();
        assertGuestOnItsOwnDisk(guest);
    }

    private BackupSettings encryptedTo(Path keys)
    {
        return TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"), "encrypt", true, "recipientKeyFile", keys);
    }

    private void assertGuestOnItsOwnDisk(Guest guest)
            throws LibvirtException
    {
        assertThat(DomainXml.disks(guests.domain(guest).getXMLDesc(0))).singleElement()
                .satisfies(disk -> assertThat(disk.source()).isEqualTo(guest.disk()));
        assertThat(ExternalSnapshot.overlayOf(guest.disk())).doesNotExist();
    }

    private BackupSettings settings(boolean encrypt)
    {
        return TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"), "encrypt", encrypt, "recipientKeyFile", encrypt ? gpg.publicKey() : null, "secretKeyFile", gpg.secretKey(), "passphraseFile", gpg.passphraseFile());
    }

    private BackupOperations operations()
    {
        return new BackupOperations(new BackupService(libvirt, paths(), Clock.systemUTC()), libvirt, Optional.empty(), Clock.systemUTC());
    }

    private BackupStore store(BackupSettings settings)
    {
        return new BackupService(libvirt, paths(), Clock.systemUTC()).store(settings);
    }

    private HostPaths paths()
    {
        return new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
    }
}
