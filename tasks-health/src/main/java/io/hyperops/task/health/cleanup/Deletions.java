package io.hyperops.task.health.cleanup;

import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Deletes (or, in a dry run, only counts) and keeps the tally per category, for the run's report. */
final class Deletions
{
    final boolean dryRun;
    private final Logger log;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> backups = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private long freedBytes;

    Deletions(boolean dryRun, Logger log)
    {
        this.dryRun = dryRun;
        this.log = requireNonNull(log, "log is null");
    }

    /** Deletes a file. */
    void delete(String category, Path path, long bytes)
    {
        delete(category, path, bytes, false, () -> Files.deleteIfExists(path));
    }

    /** Deletes a backup folder the way {@code how} does (through the backup task, under the guest's lock). */
    void deleteBackup(String category, Path folder, long bytes, Deleter how)
    {
        delete(category, folder, bytes, true, how);
    }

    private void delete(String category, Path path, long bytes, boolean backup, Deleter how)
    {
        try {
            if (!dryRun) {
                how.delete();
            }
            log.info("{} {} ({}, {} bytes)", dryRun ? "Would delete" : "Deleted", path, category, bytes);
            counts.merge(category, 1, Integer::sum);
            freedBytes += bytes;
            if (backup) {
                backups.add(path.toString());
            }
        }
        catch (IOException e) {
            failed(path, e);
        }
    }

    @FunctionalInterface
    interface Deleter
    {
        void delete()
                throws IOException;
    }

    void failed(Path path, IOException e)
    {
        String reason = e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null ? fileSystemException.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        failures.add("cannot delete " + path + ": " + reason);
        log.warn("Cannot delete {}: {}", path, reason);
    }

    Map<String, Integer> counts()
    {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    int total()
    {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    long freedBytes()
    {
        return freedBytes;
    }

    List<String> backups()
    {
        return List.copyOf(backups);
    }

    List<String> failures()
    {
        return List.copyOf(failures);
    }
}
