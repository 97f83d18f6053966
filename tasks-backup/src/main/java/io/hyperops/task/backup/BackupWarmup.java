package io.hyperops.task.backup;

import com.sun.jna.LastErrorException;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.TaskService;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.Folders;
import io.hyperops.task.backup.archive.LinuxLibc;
import io.hyperops.task.backup.crypto.EphemeralKey;
import io.hyperops.task.backup.crypto.RecipientKeys;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Compiles the archive pipeline before the daemon's first backup. A JVM interprets code until it has
 * run often enough, then compiles it; the pipeline's loops (SHA-256 of the content, tar, the zstd
 * framing, the OpenPGP layers) reach their full speed only once compiled, and on a host with two CPUs the
 * compiling competes with the backup itself: a first backup takes 15 to 30 % longer than the next
 * one (docs/benchmarks.md). So, half a minute after the daemon starts, this runs the pipeline with the
 * {@code backup} job's compression and encryption over a small generated disk, four times, with the output
 * thrown away ({@link ArchiveWriter#discarding}), on a thread at the lowest CPU priority, which the
 * pipeline's threads inherit. The disk and a throwaway key live in a scratch folder in the temporary
 * folder, deleted afterwards; nothing goes to the backup folder and nothing is synced.
 * Four rounds of 96 MiB: after two, the first real archive of the benchmark's 1 GiB disk still took
 * about 4 % longer than in a JVM that had archived it twice; after four, as long (docs/benchmarks.md).
 * {@code warm_up: false} turns it off.
 */
public final class BackupWarmup
        implements TaskService
{
    static final Duration DELAY = Duration.ofSeconds(30);
    static final int MEBIBYTES = 96;
    static final int ROUNDS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(BackupWarmup.class);
    private static final int LOWEST_CPU_PRIORITY = 19;
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final JobAccess jobs;
    private final Duration delay;
    private final Path scratchParent;
    private Thread thread;

    @Inject
    BackupWarmup(JobAccess jobs)
    {
        this(jobs, DELAY, Path.of(System.getProperty("java.io.tmpdir")));
    }

    BackupWarmup(JobAccess jobs, Duration delay, Path scratchParent)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.delay = requireNonNull(delay, "delay is null");
        this.scratchParent = requireNonNull(scratchParent, "scratchParent is null");
    }

    @Override
    public synchronized void start()
    {
        if (!jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class).warmUp()) {
            LOG.debug("Backup warm-up is off (warm_up: false)");
            return;
        }
        thread = new Thread(this::runAfterDelay, "backup-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop()
    {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_WAIT.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void runAfterDelay()
    {
        try {
            Thread.sleep(delay.toMillis());
            // read now, not at start: a reload in the meantime counts
            BackupSettings settings = jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class);
            if (!settings.warmUp()) {
                return;
            }
            Result result = run(settings, scratchParent, MEBIBYTES, ROUNDS);
            MemoryRelease.now();
            LOG.info("Backup pipeline warmed up in {}: {} MiB through {} with{} encryption, {} times, output thrown away; the first backup runs compiled code",
                    String.format(Locale.ROOT, "%.1f s", result.seconds()), MEBIBYTES, settings.compression(), settings.encrypt() ? "" : "out", ROUNDS);
        }
        catch (InterruptedException | InterruptedIOException | ClosedByInterruptException e) {
            LOG.debug("Backup warm-up stopped");
        }
        catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // stopped while a stage or the disk generator was in the middle of something: not a failure
                LOG.debug("Backup warm-up stopped: {}", e.toString());
                return;
            }
            // costs the first backup some speed, nothing else: no reason to alarm anyone
            LOG.warn("Backup warm-up failed, so the first backup compiles its code as it goes: {}", e.toString());
        }
    }

    /**
     * Lowers the calling thread's CPU priority for good, then runs the pipeline {@code rounds} times over a
     * generated disk of {@code mebibytes} in a scratch folder under {@code parent}, which it deletes.
     */
    static Result run(BackupSettings settings, Path parent, int mebibytes, int rounds)
            throws IOException, InterruptedException
    {
        long start = System.nanoTime();
        int nice = lowerCpuPriority();
        Path scratch = Files.createTempDirectory(parent, "hyperops-warmup-");
        try {
            DiskImage disk = MixedDisk.write(scratch.resolve("warm-up.raw"), (long) mebibytes << 20);
            Optional<RecipientKeys> recipients = settings.encrypt() ? Optional.of(EphemeralKey.create(scratch).recipients()) : Optional.empty();
            long bytes = 0;
            for (int round = 0; round < rounds; round++) {
                try (ArchiveWriter writer = ArchiveWriter.discarding("warm-up.tar", settings.compressionKind(), settings.compressionLevel(),
                        settings.compressionWorkers(), recipients)) {
                    writer.addDisk(BackupSelfTest.DISK_ENTRY, disk, done -> { });
                    bytes = writer.commit();
                }
            }
            return new Result((System.nanoTime() - start) / 1e9, bytes, nice);
        }
        finally {
            Folders.deleteTree(scratch);
        }
    }

    /**
     * nice 19 on this thread; Linux keeps it per thread and threads inherit it from the one that
     * starts them, so it reaches the pipeline's stages and zstd's workers.
     *
     * @return the thread's nice value now, read back from the kernel; 0 where it cannot be set
     */
    private static int lowerCpuPriority()
    {
        try {
            return LinuxLibc.calls().map(libc -> {
                // PRIO_PROCESS with who 0: the calling thread, under Linux
                libc.setpriority(0, 0, LOWEST_CPU_PRIORITY);
                return libc.getpriority(0, 0);
            }).orElse(0);
        }
        catch (LastErrorException e) {
            LOG.debug("Backup warm-up runs at normal CPU priority: {}", e.toString());
            return 0;
        }
    }

    /** @param bytes the size the last round's archive would have had; @param nice the warm-up thread's nice value */
    record Result(double seconds, long bytes, int nice) {}
}
