package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuests.Guest;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stopped UEFI guest (Debian's OVMF, installed by scripts/setup-testbed.sh) on the host's libvirtd: its
 * variable store comes back from the backup in place and, for a restore as a new guest, into a new file
 * that the new guest's XML names. The guests are only defined, never started: the NVRAM is a file to them.
 */
@Tag("libvirt")
final class TestNvramRestore
{
    private static final Logger LOG = LoggerFactory.getLogger(TestNvramRestore.class);
    private static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    private static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    // VIR_DOMAIN_UNDEFINE_NVRAM: libvirt refuses to undefine a guest with an NVRAM file without it
    private static final int UNDEFINE_NVRAM = 1 << 2;

    @TempDir
    Path folder;

    private TestingGuests guests;
    private SystemLibvirt libvirt;
    private String restoredGuest;

    @AfterEach
    void removeGuests()
            throws Exception
    {
        if (restoredGuest != null) {
            libvirt.call(connect -> connect.domainLookupByName(restoredGuest)).undefine(UNDEFINE_NVRAM);
        }
        if (guests != null) {
            guests.close();
        }
        if (libvirt != null) {
            libvirt.close();
        }
    }

    @Test
    void nvramIsRestoredInPlaceAndAsANewGuestsOwnFile()
            throws Exception
    {
        assertThat(OVMF_CODE).as("Debian's ovmf package; run scripts/setup-testbed.sh").exists();
        libvirt = new SystemLibvirt();
        guests = TestingGuests.connect();
        Guest guest = guests.createStoppedUefi("bk-uefi", OVMF_CODE, OVMF_VARS);
        Path nvram = DomainXml.nvram(guests.domain(guest).getXMLDesc(0)).orElseThrow();
        byte[] saved = Files.readAllBytes(OVMF_VARS);
        byte[] marker = ("hyperops nvram " + guest.name()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, saved, saved.length - marker.length, marker.length);
        Files.write(nvram, saved);
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"));
        BackupOperations operations = new BackupOperations(new BackupService(libvirt, paths(), Clock.systemUTC()), libvirt, Optional.empty(), Clock.systemUTC());

        assertThat(operations.run(settings, List.of(guest.name()), Progress.NONE, LOG)).singleElement()
                .satisfies(result -> assertThat(result.ok()).as(result.message()).isTrue());
        BackupStore store = operations.store(settings);
        StoredBackup backup = store.find(guest.name(), "latest");

        byte[] changed = saved.clone();
        Arrays.fill(changed, 0, 4096, (byte) 0x5a);
        Files.write(nvram, changed);
        RestoreService restore = new RestoreService(libvirt);
        restore.restore(store, new RestoreRequest(guest.name(), backup.id(), Optional.empty(), Optional.empty()), Optional.empty(), IoPriority.UNCHANGED, Throttle.unlimited(), Progress.NONE, LOG);

        assertThat(Files.readAllBytes(nvram)).isEqualTo(saved);
        assertThat(DomainXml.nvram(guests.domain(guest).getXMLDesc(0))).contains(nvram);
        assertThat(nvram.resolveSibling(nvram.getFileName() + ".pre-restore")).doesNotExist();
        assertThat(nvram.resolveSibling(nvram.getFileName() + ".restore")).doesNotExist();

        String newName = TestingGuests.NAME_PREFIX + "uefi-copy-" + UUID.randomUUID().toString().substring(0, 8);
        Path restoreFolder = Files.createDirectory(folder.resolve("restored"));
        Files.write(nvram, changed);
        restore.restore(store, new RestoreRequest(guest.name(), backup.id(), Optional.of(newName), Optional.of(restoreFolder)), Optional.empty(), IoPriority.UNCHANGED, Throttle.unlimited(), Progress.NONE, LOG);
        restoredGuest = newName;

        Domain copy = libvirt.call(connect -> connect.domainLookupByName(newName));
        Path copyNvram = DomainXml.nvram(copy.getXMLDesc(0)).orElseThrow();
        assertThat(copyNvram).isEqualTo(nvram.resolveSibling(newName + "_VARS.fd")).isNotEqualTo(nvram);
        assertThat(Files.readAllBytes(copyNvram)).isEqualTo(saved);
        assertThat(Files.readAllBytes(nvram)).as("the original guest's NVRAM is not touched").isEqualTo(changed);
    }

    private HostPaths paths()
    {
        return new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
    }
}
