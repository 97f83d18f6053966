package io.hyperops.task.health;

import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JsonFiles;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The seed's backup layout, {@code <backup_dir>/<vm>/<YYYYmmdd-HHMMSS>[-N]/} (the backup task's folder, or
 * the seed's {@code <data_dir>/backups} without it) with a
 * {@code backup-info.json} in each finished backup. Read by the health check (freshness) and by the
 * storage cleanup (what may go when space is low).
 *
 * <p>A backup is <em>good</em> when its {@code backup-info.json} reads as a JSON object and does not
 * mark it failed ({@code "status": "failed"} or {@code "failed": true}); a folder without the file is
 * a backup that never finished. A backup is <em>protected</em> when its folder holds a
 * {@code .protected} file: nothing automatic deletes it.
 */
public final class BackupCatalog
{
    public static final String INFO_FILE = "backup-info.json";
    public static final String PROTECTED_MARKER = ".protected";
    public static final String VERIFY_FILE = "verify.json";

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withResolverStyle(ResolverStyle.STRICT);
    // the backup task names a second backup in the same second <id>-2, -3, ...
    private static final Pattern NAME = Pattern.compile("(\\d{8}-\\d{6})(-\\d+)?");

    private final Path seedFolder;
    private final JsonFiles jsonFiles;
    private final Optional<BackupStorage> storage;

    /** @param storage the backup task's folder (its {@code backup_dir}); without the task, the seed's {@code <data_dir>/backups} */
    @Inject
    public BackupCatalog(HostPaths paths, JsonFiles jsonFiles, Optional<BackupStorage> storage)
    {
        this.seedFolder = requireNonNull(paths, "paths is null").dataDir().resolve("backups");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.storage = requireNonNull(storage, "storage is null");
    }

    public Path folder()
    {
        return storage.map(BackupStorage::root).orElse(seedFolder);
    }

    /**
     * Deletes a backup: through the backup task when it is installed (under the guest's lock, so never
     * while a backup, verify or restore of the guest reads it), else the folder itself.
     */
    public void delete(Backup backup)
            throws IOException
    {
        if (storage.isPresent()) {
            try {
                storage.get().delete(backup.vm(), backup.folder());
            }
            catch (IllegalStateException | IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(backup.folder())) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** Every backup by guest name, oldest first; folder names are read as local times in {@code zone}. */
    public Map<String, List<Backup>> list(ZoneId zone)
            throws IOException
    {
        Map<String, List<Backup>> result = new TreeMap<>();
        for (Path vmFolder : folders(folder())) {
            List<Backup> backups = new ArrayList<>();
            for (Path backupFolder : folders(vmFolder)) {
                Matcher name = NAME.matcher(backupFolder.getFileName().toString());
                if (!name.matches()) {
                    continue;
                }
                try {
                    Instant time = LocalDateTime.parse(name.group(1), NAME_TIME).atZone(zone).toInstant();
                    backups.add(new Backup(vmFolder.getFileName().toString(), backupFolder, time, isGood(backupFolder), Files.exists(backupFolder.resolve(PROTECTED_MARKER))));
                }
                catch (DateTimeParseException e) {
                    // 20251301-000000 and the like: not a backup this layout made
                }
            }
            backups.sort(Comparator.comparing(Backup::time));
            result.put(vmFolder.getFileName().toString(), List.copyOf(backups));
        }
        return result;
    }

    /** The newest good backup of each guest that has one. */
    public static Map<String, Backup> newestGood(Map<String, List<Backup>> backups)
    {
        Map<String, Backup> result = new TreeMap<>();
        backups.forEach((vm, list) -> list.stream().filter(Backup::good).max(Comparator.comparing(Backup::time)).ifPresent(backup -> result.put(vm, backup)));
        return result;
    }

    /**
     * The newest good backup of each guest whose last verify did not fail: the one a restore can rely
     * on. A backup that was never verified counts, as the seed's backups did.
     */
    public Map<String, Backup> newestSound(Map<String, List<Backup>> backups)
    {
        Map<String, Backup> result = new TreeMap<>();
        backups.forEach((vm, list) -> list.stream()
                .filter(backup -> backup.good() && lastVerify(backup).map(Verify::ok).orElse(true))
                .max(Comparator.comparing(Backup::time))
                .ifPresent(backup -> result.put(vm, backup)));
        return result;
    }

    /**
     * The last verify of a backup, from the {@code verify.json} the backup task writes beside the archive
     * ({@code time}, {@code ok}, {@code message}); empty when it was never verified. A file that does not
     * read as such counts as a failed verify: nothing shows the archive is sound.
     */
    public Optional<Verify> lastVerify(Backup backup)
    {
        Path file = backup.folder().resolve(VERIFY_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Optional<?> content = jsonFiles.read(file, Map.class);
            if (content.isPresent() && content.get() instanceof Map<?, ?> fields && fields.get("ok") instanceof Boolean ok
                    && fields.get("time") instanceof String time) {
                return Optional.of(new Verify(Instant.parse(time), ok, fields.get("message") instanceof String message ? message : ""));
            }
        }
        catch (RuntimeException e) {
            // unreadable, not JSON or a bad time: reported below like any verify.json that is not what the backup task writes
        }
        return Optional.of(new Verify(Instant.EPOCH, false, file + " cannot be read as a verify result"));
    }

    private boolean isGood(Path backupFolder)
    {
        Path info = backupFolder.resolve(INFO_FILE);
        Optional<?> content;
        try {
            content = jsonFiles.read(info, Map.class);
        }
        catch (RuntimeException e) {
            // unreadable or not JSON: a broken backup, never counted as good
            return false;
        }
        if (content.isEmpty() || !(content.get() instanceof Map<?, ?> fields)) {
            return false;
        }
        Object status = fields.get("status");
        Object failed = fields.get("failed");
        return !(status instanceof String text && text.toLowerCase(Locale.ROOT).equals("failed")) && !Boolean.TRUE.equals(failed);
    }

    private static List<Path> folders(Path parent)
            throws IOException
    {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(result::add);
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    /** One backup folder. */
    public record Backup(String vm, Path folder, Instant time, boolean good, boolean isProtected)
    {
        public Backup
        {
            requireNonNull(vm, "vm is null");
            requireNonNull(folder, "folder is null");
            requireNonNull(time, "time is null");
        }
    }

    /** The last verify of one backup. */
    public record Verify(Instant time, boolean ok, String message)
    {
        public Verify
        {
            requireNonNull(time, "time is null");
            requireNonNull(message, "message is null");
        }
    }
}
