package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JsonFiles;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The {@code metrics-%Y%m%d-%H%M%S.json} files in the data folder, named in the host's local time as the
 * seed named them. A file's age is the time in its name, not its modification time, which a copy or a
 * restore changes.
 */
public final class MetricsStore
{
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withResolverStyle(ResolverStyle.STRICT);
    // "-2", "-3" ... for a local time that comes round again (the hour repeated when summer time ends, a
    // time zone moved west): the name the seed would give is taken, and what it holds is kept
    private static final Pattern NAME = Pattern.compile("metrics-(\\d{8}-\\d{6})(?:-\\d{1,3})?\\.json");

    private final Path folder;
    private final JsonFiles jsonFiles;

    @Inject
    MetricsStore(HostPaths paths, JsonFiles jsonFiles)
    {
        this.folder = requireNonNull(paths, "paths is null").dataDir();
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
    }

    /** Creates the data folder on a new host, where the engine may not have made it yet. */
    void createFolder()
            throws IOException
    {
        Files.createDirectories(folder);
    }

    /**
     * Writes atomically, named for the local time as the seed named its files; when that name is taken (a
     * local time that comes round again, or a second snapshot in the same second) the next free
     * {@code -N} suffix, so no snapshot replaces another.
     */
    Path write(ZonedDateTime time, MetricsSnapshot snapshot)
    {
        String stem = "metrics-" + NAME_TIME.format(time);
        Path file = folder.resolve(stem + ".json");
        for (int suffix = 2; Files.exists(file) && suffix < 1000; suffix++) {
            file = folder.resolve(stem + "-" + suffix + ".json");
        }
        jsonFiles.write(file, snapshot);
        return file;
    }

    /**
     * Deletes the metrics files named for a time before {@code cutoff}; names are read in {@code zone}, the
     * zone they were written in. Files whose names do not match the pattern are left alone; a folder named
     * like a metrics file is deleted only when empty, otherwise reported.
     */
    Removal deleteOlderThan(Instant cutoff, ZoneId zone)
            throws IOException
    {
        List<Path> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "metrics-*.json")) {
            for (Path file : files) {
                Optional<Instant> time = timeOf(file, zone);
                if (time.isEmpty() || !time.get().isBefore(cutoff)) {
                    continue;
                }
                try {
                    Files.deleteIfExists(file);
                    removed.add(file);
                }
                catch (IOException e) {
                    failures.add("cannot delete " + file + ": " + reason(e));
                }
            }
        }
        return new Removal(removed, failures);
    }

    public static Optional<Instant> timeOf(Path file, ZoneId zone)
    {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(matcher.group(1), NAME_TIME).atZone(zone).toInstant());
        }
        catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String reason(IOException e)
    {
        if (e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
            return fileSystemException.getReason();
        }
        return e.getClass().getSimpleName();
    }

    /** @param failures one line per file that could not be deleted, with the reason */
    record Removal(List<Path> removed, List<String> failures)
    {
        Removal
        {
            removed = List.copyOf(requireNonNull(removed, "removed is null"));
            failures = List.copyOf(requireNonNull(failures, "failures is null"));
        }
    }
}
