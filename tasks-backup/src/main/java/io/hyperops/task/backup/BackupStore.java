package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Folders;
import io.hyperops.task.backup.archive.ManifestJson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The seed's layout: {@code <root>/<vm>/<YYYYmmdd-HHMMSS>/} with the archive and {@code backup-info.json};
 * a folder is a complete backup once {@code backup-info.json} is there, which is written last.
 * {@code .protected} in a folder keeps it from every pruning (the health task's storage cleanup too).
 */
public final class BackupStore
{
    public static final String PROTECTED = ".protected";
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Logger LOG = LoggerFactory.getLogger(BackupStore.class);

    private final Path root;

    public BackupStore(Path root)
    {
        this.root = requireNonNull(root, "root is null");
    }

    public Path root()
    {
        return root;
    }

    public static String newId(Instant time, ZoneId zone)
    {
        return ID.format(time.atZone(zone));
    }

    public Path folder(String vmName, String id)
    {
        return guestFolder(vmName).resolve(id);
    }

    /**
     * Refuses a guest name that would not name one folder right under the backup folder: names come from
     * the command line, and one such as {@code ../x} must never lead a backup's clean-up (run as root)
     * elsewhere. libvirt refuses {@code /} in names itself; a leading dot is the store's own (locks).
     *
     * @return the name
     */
    public static String checkGuestName(String vmName)
    {
        if (vmName.isEmpty() || vmName.startsWith(".") || vmName.indexOf('/') >= 0 || vmName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + vmName + "' is no guest name hyperops backs up: a name must not be empty, contain '/' or start with '.'");
        }
        return vmName;
    }

    private Path guestFolder(String vmName)
    {
        return root.resolve(checkGuestName(vmName));
    }

    public List<String> guests()
            throws IOException
    {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(path -> path.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted().toList();
        }
    }

    /** Complete backups of one guest, newest first. */
    public List<StoredBackup> list(String vmName)
            throws IOException
    {
        Path guestFolder = guestFolder(vmName);
        if (!Files.isDirectory(guestFolder)) {
            return List.of();
        }
        List<StoredBackup> backups = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(guestFolder, Files::isDirectory)) {
            for (Path folder : folders) {
                read(vmName, folder).ifPresent(backups::add);
            }
        }
        backups.sort(Comparator.comparing(StoredBackup::time).thenComparing(StoredBackup::id).reversed());
        return backups;
    }

    /** @param id a backup id, or {@code latest} for the newest good one */
    public StoredBackup find(String vmName, String id)
            throws IOException
    {
        List<StoredBackup> backups = list(vmName);
        Optional<StoredBackup> found = id.equals("latest")
                ? backups.stream().filter(StoredBackup::good).findFirst()
                : backups.stream().filter(backup -> backup.id().equals(id)).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException("no " + (id.equals("latest") ? "good backup" : "backup " + id) + " of " + vmName
                + " in " + guestFolder(vmName) + "; see 'hyperops backup list " + vmName + "'"));
    }

    /** Finds a backup by id across all guests, for {@code protect} and {@code unprotect}. */
    public StoredBackup findById(String id)
            throws IOException
    {
        List<StoredBackup> matches = new ArrayList<>();
        for (String guest : guests()) {
            list(guest).stream().filter(backup -> backup.id().equals(id) || (guest + "/" + backup.id()).equals(id)).forEach(matches::add);
        }
        if (matches.size() != 1) {
            throw new IllegalArgumentException(matches.isEmpty()
                    ? "no backup " + id + " in " + root + "; see 'hyperops backup list'"
                    : "backup id " + id + " is taken by " + matches.size() + " guests; name it as VM/ID");
        }
        return matches.get(0);
    }

    public void setProtected(StoredBackup backup, boolean on)
            throws IOException
    {
        Path marker = backup.folder().resolve(PROTECTED);
        if (on) {
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        }
        else {
            Files.deleteIfExists(marker);
        }
        Folders.syncParent(marker);
    }

    public void recordVerify(StoredBackup backup, VerifyRecord record)
            throws IOException
    {
        ManifestJson.write(backup.folder().resolve(VerifyRecord.FILE_NAME), record);
    }

    public void delete(StoredBackup backup)
            throws IOException
    {
        deleteFolder(backup.folder());
    }

    /** Deletes a backup folder, complete or not; call it only while holding the guest's lock. */
    void deleteFolder(Path folder)
            throws IOException
    {
        // The manifest goes first: stopped midway, what is left is a folder without one, an unfinished
        // backup the next run removes, never a "complete" backup that lost its archive.
        Path manifest = folder.resolve(ManifestJson.FILE_NAME);
        Files.deleteIfExists(manifest);
        Folders.syncParent(manifest);
        Folders.deleteTree(folder);
    }

    /**
     * Removes what a killed or failed run left in a guest's folder: {@code *.partial} files, a killed
     * verify's scratch folder and folders without {@code backup-info.json}. Call it only while holding the guest's lock.
     *
     * @return what was removed
     */
    public List<Path> removeLeftovers(String vmName)
            throws IOException
    {
        Path guestFolder = guestFolder(vmName);
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(guestFolder)) {
            return removed;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(guestFolder, Files::isDirectory)) {
            for (Path folder : folders) {
                if (!Files.exists(folder.resolve(ManifestJson.FILE_NAME))) {
                    Folders.deleteTree(folder);
                    removed.add(folder);
                    continue;
                }
                // a verify killed mid-check leaves its scratch images, up to twice the disk's data
                Path scratch = folder.resolve(ScratchRestore.FOLDER);
                if (Files.exists(scratch)) {
                    Folders.deleteTree(scratch);
                    removed.add(scratch);
                }
                try (DirectoryStream<Path> partials = Files.newDirectoryStream(folder, "*.partial")) {
                    for (Path partial : partials) {
                        Files.deleteIfExists(partial);
                        removed.add(partial);
                    }
                }
            }
        }
        return removed;
    }

    private static Optional<StoredBackup> read(String vmName, Path folder)
            throws IOException
    {
        Path info = folder.resolve(ManifestJson.FILE_NAME);
        BackupManifest manifest;
        try {
            manifest = ManifestJson.read(info);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            // one damaged file must not hide every other backup; this one is neither listed nor pruned nor removed
            LOG.warn("Skipping {}: its {} does not read ({}); repair it or move the folder away", folder, ManifestJson.FILE_NAME, e.getMessage());
            return Optional.empty();
        }
        Optional<VerifyRecord> verify;
        try {
            verify = Files.exists(folder.resolve(VerifyRecord.FILE_NAME))
                    ? Optional.of(ManifestJson.read(folder.resolve(VerifyRecord.FILE_NAME), VerifyRecord.class))
                    : Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            LOG.warn("{} of {} does not read ({}); the backup counts as not verified", VerifyRecord.FILE_NAME, folder, e.getMessage());
            verify = Optional.empty();
        }
        return Optional.of(new StoredBackup(vmName, folder.getFileName().toString(), folder, folder.resolve(manifest.archiveFile()), manifest,
                Files.exists(folder.resolve(PROTECTED)), verify));
    }

}
