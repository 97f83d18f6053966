package io.hyperops.task.health.cleanup;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.task.health.BackupCatalog.Backup;
import io.hyperops.task.health.BackupCatalog;
import io.hyperops.task.health.Guest;
import io.hyperops.task.health.GuestInventory;
import io.hyperops.task.health.MetricsSettings;
import io.hyperops.task.health.MetricsStore;
import jakarta.inject.Inject;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One run of {@code storage-cleanup}.
 *
 * <p>Always, as the seed's timer: log files older than {@code log_retention}, {@code .partial-*} and
 * {@code *.tmp} files older than {@code partial_retention} (never one a process holds open, nor a
 * {@code *.tmp} a guest's definition names), metrics files dated before {@code metrics_retention}.
 *
 * <p>Then, only while free space on the data folder's file system is below {@code min_free_gb}, and
 * stopping as soon as it is not, oldest first within each step:
 * <ol>
 *   <li>run logs older than {@code pressure_log_retention};
 *   <li>metrics files older than {@code pressure_metrics_retention};
 *   <li>backups beyond their retention: older than {@code backup_retention}, beyond the newest
 *       {@code backup_keep_per_vm} of their VM, or unfinished/failed and older than
 *       {@code partial_retention}. Never the newest good backup of a VM, never a protected one (a
 *       {@code .protected} file in its folder).
 * </ol>
 */
public final class StorageCleanupService
{
    private static final long GB = 1024L * 1024 * 1024;
    private static final String METRICS_JOB = "metrics";

    private final HostPaths paths;
    private final BackupCatalog backups;
    private final FreeSpace freeSpace;
    private final LibvirtConnection libvirt;
    private final JobAccess jobs;

    @Inject
    public StorageCleanupService(HostPaths paths, BackupCatalog backups, FreeSpace freeSpace, LibvirtConnection libvirt, JobAccess jobs)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.freeSpace = requireNonNull(freeSpace, "freeSpace is null");
    }

    /** Checked between deletions so a run the engine asked to stop ends at a safe point. */
    @FunctionalInterface
    public interface Cancellation
    {
        void check()
                throws InterruptedException;
    }

    public JobResult clean(StorageCleanupSettings settings, Clock clock, Logger log, Cancellation cancellation)
            throws IOException, InterruptedException
    {
        Instant now = clock.instant();
        Deletions deletions = new Deletions(settings.dryRun(), log);

        for (Path file : files(paths.logDir())) {
            deleteIfOlder(deletions, "logs", file, now.minus(settings.logRetention()));
        }
        OpenFiles open = OpenFiles.now();
        Optional<Set<Path>> guestDisks = guestDisks(log);
        for (Path file : files(paths.dataDir())) {
            String name = file.getFileName().toString();
            boolean temporary = name.endsWith(".tmp");
            if (!name.startsWith(".partial-") && !temporary) {
                continue;
            }
            // an open one is in use whatever its age (a guest's disk overlay named *.tmp, a download that stalled);
            // so is a *.tmp some guest's definition names, running or not: a shut-off guest holds nothing open
            Optional<Path> real = realPath(file);
            if (real.isEmpty() || open.isOpen(real.get()) || (temporary && guestDisks.map(disks -> disks.contains(real.get())).orElse(true))) {
                continue;
            }
            deleteIfOlder(deletions, "partials", file, now.minus(settings.partialRetention()));
        }
        Duration metricsRetention = settings.metricsRetention() != null ? settings.metricsRetention() : jobs.settings(METRICS_JOB, MetricsSettings.class).retention();
        for (Candidate metrics : metrics(clock, now.minus(metricsRetention))) {
            deletions.delete("metrics", metrics.path(), metrics.bytes());
        }
        cancellation.check();

        long threshold = (long) settings.minFreeGb() * GB;
        long freeBefore = free(deletions);
        boolean low = freeBefore < threshold;
        if (low) {
            log.warn("{} GB free on the data folder's file system, below min_free_gb {}: freeing more", freeBefore / GB, settings.minFreeGb());
            List<List<Candidate>> steps = List.of(
                    runLogs(now.minus(settings.pressureLogRetention())),
                    metrics(clock, now.minus(settings.pressureMetricsRetention())),
                    backupsBeyondRetention(settings, clock));
            List<String> categories = List.of("run_logs_low_space", "metrics_low_space", "backups_low_space");
            for (int step = 0; step < steps.size() && free(deletions) < threshold; step++) {
                for (Candidate candidate : steps.get(step)) {
                    if (free(deletions) >= threshold) {
                        break;
                    }
                    cancellation.check();
                    if (candidate.backup().isPresent()) {
                        Backup backup = candidate.backup().get();
                        deletions.deleteBackup(categories.get(step), candidate.path(), candidate.bytes(), () -> backups.delete(backup));
                    }
                    else {
                        deletions.delete(categories.get(step), candidate.path(), candidate.bytes());
                    }
                }
            }
        }
        return result(settings, deletions, freeBefore, free(deletions), threshold, low);
    }

    /**
     * The real paths of every disk image a defined guest names, running or not; empty when libvirt does
     * not answer, and then no {@code *.tmp} file is deleted, since any could be a guest's.
     */
    private Optional<Set<Path>> guestDisks(Logger log)
    {
        try {
            Set<Path> disks = new HashSet<>();
            for (Guest guest : GuestInventory.read(libvirt)) {
                guest.disks().forEach(disk -> disk.file().flatMap(StorageCleanupService::realPath).ifPresent(disks::add));
            }
            return Optional.of(disks);
        }
        catch (LibvirtException | RuntimeException e) {
            log.warn("libvirt does not say which images its guests use ({}); no *.tmp file is deleted this time", e.getMessage());
            return Optional.empty();
        }
    }

    // /proc's descriptors and libvirt's definitions name real paths; a file under a symlinked folder is compared as one
    private static Optional<Path> realPath(Path file)
    {
        try {
            return Optional.of(file.toRealPath());
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    private boolean onDataFileSystem(Path folder)
    {
        try {
            return Files.getFileStore(folder.toRealPath()).equals(Files.getFileStore(paths.dataDir()));
        }
        catch (IOException e) {
            return false;
        }
    }

    private long free(Deletions deletions)
            throws IOException
    {
        // a dry run deletes nothing, so the file system's figure is the one before plus what would go
        return freeSpace.usableBytes(paths.dataDir()) + (deletions.dryRun ? deletions.freedBytes() : 0);
    }

    private static void deleteIfOlder(Deletions deletions, String category, Path file, Instant cutoff)
    {
        try {
            if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                deletions.delete(category, file, Files.size(file));
            }
        }
        catch (NoSuchFileException e) {
            // gone since the listing
        }
        catch (IOException e) {
            deletions.failed(file, e);
        }
    }

    private List<Candidate> metrics(Clock clock, Instant cutoff)
            throws IOException
    {
        List<Candidate> result = new ArrayList<>();
        if (!Files.isDirectory(paths.dataDir())) {
            return result;
        }
        try (Stream<Path> files = Files.list(paths.dataDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Optional<Instant> time = MetricsStore.timeOf(file, clock.getZone());
                if (time.isPresent() && time.get().isBefore(cutoff)) {
                    result.add(new Candidate(file, time.get(), Files.size(file), Optional.empty()));
                }
            }
        }
        result.sort(Comparator.comparing(Candidate::time));
        return result;
    }

    private List<Candidate> runLogs(Instant cutoff)
            throws IOException
    {
        List<Candidate> result = new ArrayList<>();
        for (Path file : files(paths.logDir().resolve("runs"))) {
            try {
                Instant modified = Files.getLastModifiedTime(file).toInstant();
                if (modified.isBefore(cutoff)) {
                    result.add(new Candidate(file, modified, Files.size(file), Optional.empty()));
                }
            }
            catch (NoSuchFileException e) {
                // gone since the listing
            }
        }
        result.sort(Comparator.comparing(Candidate::time));
        return result;
    }

    private List<Candidate> backupsBeyondRetention(StorageCleanupSettings settings, Clock clock)
            throws IOException
    {
        Instant now = clock.instant();
        // space is short on the data folder's file system: backups kept on another disk would free nothing there
        if (Files.isDirectory(backups.folder()) && !Files.getFileStore(backups.folder()).equals(Files.getFileStore(paths.dataDir()))) {
            return List.of();
        }
        Map<String, List<Backup>> all = backups.list(clock.getZone());
        Map<String, Backup> keep = BackupCatalog.newestGood(all);
        // and the newest one that passed (or never had) a verify, when the newest good one failed its verify
        Map<String, Backup> keepSound = backups.newestSound(all);
        List<Candidate> result = new ArrayList<>();
        for (Map.Entry<String, List<Backup>> vm : all.entrySet()) {
            List<Backup> newestFirst = new ArrayList<>(vm.getValue());
            newestFirst.sort(Comparator.comparing(Backup::time).reversed());
            for (int index = 0; index < newestFirst.size(); index++) {
                Backup backup = newestFirst.get(index);
                if (backup.isProtected() || backup.equals(keep.get(vm.getKey())) || backup.equals(keepSound.get(vm.getKey()))) {
                    continue;
                }
                boolean beyond = index >= settings.backupKeepPerVm()
                        || backup.time().isBefore(now.minus(settings.backupRetention()))
                        || (!backup.good() && backup.time().isBefore(now.minus(settings.partialRetention())));
                // a guest's folder linked to another disk: its backups free nothing on the data folder's either
                if (beyond && onDataFileSystem(backup.folder())) {
                    result.add(new Candidate(backup.folder(), backup.time(), size(backup.folder()), Optional.of(backup)));
                }
            }
        }
        result.sort(Comparator.comparing(Candidate::time));
        return result;
    }

    private static JobResult result(StorageCleanupSettings settings, Deletions deletions, long freeBefore, long freeAfter, long threshold, boolean low)
    {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dry_run", settings.dryRun());
        details.put("deleted", deletions.counts());
        details.put("freed_bytes", deletions.freedBytes());
        details.put("free_bytes_before", freeBefore);
        details.put("free_bytes_after", freeAfter);
        details.put("low_space", low);
        if (!deletions.backups().isEmpty()) {
            details.put("backups_deleted", deletions.backups());
        }
        if (!deletions.failures().isEmpty()) {
            details.put("failures", deletions.failures());
        }
        String verb = settings.dryRun() ? "would delete " : "deleted ";
        StringBuilder summary = new StringBuilder(verb).append(deletions.total()).append(" item(s), ").append(megabytes(deletions.freedBytes())).append(" MB");
        if (!deletions.counts().isEmpty()) {
            summary.append(" (");
            summary.append(String.join(", ", deletions.counts().entrySet().stream().map(entry -> entry.getValue() + " " + entry.getKey()).toList()));
            summary.append(')');
        }
        summary.append("; ").append(freeAfter / GB).append(" GB free").append(settings.dryRun() ? " after" : "").append(", min_free_gb ").append(settings.minFreeGb());
        boolean stillLow = freeAfter < threshold;
        if (stillLow) {
            summary.append("; still below min_free_gb: nothing else may go automatically (newest good and protected backups are kept); free space by hand or grow the file system");
        }
        if (!deletions.failures().isEmpty()) {
            summary.append("; ").append(String.join("; ", deletions.failures()));
        }
        if (stillLow || !deletions.failures().isEmpty()) {
            return JobResult.warning(summary.toString(), details);
        }
        return JobResult.success(summary.toString(), details);
    }

    private static List<Path> files(Path folder)
            throws IOException
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        // a file that goes while the tree is walked (a run's log rotated, a backup pruned) is skipped, not a failure
        List<Path> result = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            {
                if (attributes.isRegularFile()) {
                    result.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e)
                    throws IOException
            {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        result.sort(null);
        return result;
    }

    private static long size(Path folder)
            throws IOException
    {
        long total = 0;
        for (Path file : files(folder)) {
            total += Files.size(file);
        }
        return total;
    }

    private static long megabytes(long bytes)
    {
        return bytes / (1024 * 1024);
    }

    /** A file, or a backup folder ({@code backup} present), that may go. */
    private record Candidate(Path path, Instant time, long bytes, Optional<Backup> backup) {}
}
