package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.ArchiveReader;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import io.hyperops.testing.TestingSettings;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The archive pipeline on one disk image, timed, for scripts/bench-backup.sh:
 * {@code archive DISK ARCHIVE PUBLIC_KEY [ROUNDS]} writes it (read, zstd -3, OpenPGP, fsync, rename),
 * ROUNDS times in one JVM (default 1);
 * {@code archive-warmed DISK ARCHIVE PUBLIC_KEY} runs the daemon's warm-up ({@link BackupWarmup}) first and times the archive after it;
 * {@code verify ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256 [SCRATCH_DIR]} reads it back in full, with a
 * scratch folder also restoring the disk to qcow2 there for {@code qemu-img check};
 * {@code restore ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256 RAW_FILE} does what a restore does with the disk
 * entry (sparse raw file, checksum against the manifest's) and stops before the qcow2 conversion, so it
 * compares with {@code gpg -d | zstd -d | tar -x}.
 */
public final class BackupBenchmark
{
    private static final String DISK_ENTRY = "disks/vda.raw";

    private BackupBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        long start = System.nanoTime();
        switch (arguments[0]) {
            case "archive" -> {
                // Further rounds run in the same JVM, as backups do in the daemon: no JVM start, JIT done.
                int rounds = arguments.length > 4 ? Integer.parseInt(arguments[4]) : 1;
                for (int round = 1; round <= rounds; round++) {
                    // the last round's archive goes before the clock starts, as the script removes zstd|gpg's before timing it
                    Files.deleteIfExists(Path.of(arguments[2]));
                    long roundStart = round == 1 ? start : System.nanoTime();
                    long roundCpu = processCpu();
                    DiskImage image = DiskImage.inspect(Path.of(arguments[1]));
                    Optional<RecipientKeys> recipients = Optional.of(RecipientKeys.load(Path.of(arguments[3]), Instant.now()));
                    try (ArchiveWriter writer = ArchiveWriter.create(Path.of(arguments[2]), Compression.ZSTD, 3, Integer.getInteger("bench.workers", 0), recipients,
                            IoPriority.UNCHANGED, Throttle.unlimited())) {
                        String sha256 = writer.addDisk(DISK_ENTRY, image, done -> { });
                        long size = writer.commit();
                        System.out.printf(Locale.ROOT, "hyperops archive%s: %.2f s, %d bytes, sha256 %s, cpu %.2f s%n", round == 1 ? "" : " (warm)", seconds(roundStart), size, sha256,
                                (processCpu() - roundCpu) / 1e9);
                    }
                    // what the daemon does after each guest; -Dbench.release=false leaves it out, for comparison
                    if (Boolean.parseBoolean(System.getProperty("bench.release", "true"))) {
                        MemoryRelease.now();
                    }
                }
            }
            case "archive-warmed" -> {
                // The daemon's first backup: the JVM started long ago and BackupWarmup ran (its size and rounds unless -Dbench.warmup.mib/rounds).
                BackupSettings settings = TestingSettings.of(BackupSettings.class, "encrypt", true, "recipientKeyFile", Path.of(arguments[3]));
                // on a thread of its own, as in the daemon: the warm-up lowers its thread's priority for good,
                // and the timed archive (and the stage threads it starts) must keep the normal one
                BackupWarmup.Result[] warmup = new BackupWarmup.Result[1];
                Exception[] failure = new Exception[1];
                Thread warmer = new Thread(() -> {
                    try {
                        warmup[0] = BackupWarmup.run(settings, Path.of(System.getProperty("java.io.tmpdir")),
                                Integer.getInteger("bench.warmup.mib", BackupWarmup.MEBIBYTES), Integer.getInteger("bench.warmup.rounds", BackupWarmup.ROUNDS));
                    }
                    catch (Exception e) {
                        failure[0] = e;
                    }
                }, "backup-warmup");
                warmer.start();
                warmer.join();
                if (failure[0] != null) {
                    throw failure[0];
                }
                // as the daemon's warm-up ends (BackupWarmup.runAfterDelay)
                MemoryRelease.now();
                Files.deleteIfExists(Path.of(arguments[2]));
                // for -XX:+PrintCompilation, whose time stamps are the JVM's uptime: what still compiles after this
                System.out.printf(Locale.ROOT, "warm-up done at uptime %d ms%n", ManagementFactory.getRuntimeMXBean().getUptime());
                // The daemon's first backup comes hours after its warm-up, not right behind it: let the
                // compilations the warm-up queued finish first, as they have by then (-Dbench.settle=false: no wait).
                if (Boolean.parseBoolean(System.getProperty("bench.settle", "true"))) {
                    System.out.printf(Locale.ROOT, "JIT settled after %d ms more%n", settleCompilation());
                }
                long roundStart = System.nanoTime();
                long roundCpu = processCpu();
                DiskImage image = DiskImage.inspect(Path.of(arguments[1]));
                Optional<RecipientKeys> recipients = Optional.of(RecipientKeys.load(Path.of(arguments[3]), Instant.now()));
                try (ArchiveWriter writer = ArchiveWriter.create(Path.of(arguments[2]), Compression.ZSTD, 3, 0, recipients, IoPriority.UNCHANGED, Throttle.unlimited())) {
                    writer.addDisk(DISK_ENTRY, image, done -> { });
                    long size = writer.commit();
                    System.out.printf(Locale.ROOT, "hyperops archive (after a %.2f s warm-up): %.2f s, %d bytes, cpu %.2f s%n", warmup[0].seconds(), seconds(roundStart), size,
                            (processCpu() - roundCpu) / 1e9);
                }
            }
            case "verify" -> {
                Optional<Path> scratch = arguments.length > 5 ? Optional.of(Path.of(arguments[5])) : Optional.empty();
                List<VerifyRecord.ImageCheck> checks = ArchiveCheck.verify(Path.of(arguments[1]), manifest(arguments), keys(arguments), scratch, Progress.NONE);
                System.out.printf(Locale.ROOT, "hyperops verify%s: %.2f s%n", checks.isEmpty() ? "" : " with qemu-img check (" + checks.get(0).result() + ")", seconds(start));
            }
            case "restore" -> {
                Path raw = Path.of(arguments[5]);
                String[] checksum = {""};
                ArchiveReader.read(Path.of(arguments[1]), keys(arguments), (name, size, content) -> {
                    if (name.equals(DISK_ENTRY)) {
                        checksum[0] = DiskFileWriter.writeSparse(content, size, raw, BackupManifest.FORMAT_VERSION, Throttle.unlimited());
                    }
                });
                if (!checksum[0].equals(arguments[4])) {
                    throw new IllegalStateException("restored disk has checksum " + checksum[0] + ", expected " + arguments[4]);
                }
                System.out.printf(Locale.ROOT, "hyperops restore: %.2f s%n", seconds(start));
            }
            default -> throw new IllegalArgumentException("archive DISK ARCHIVE PUBLIC_KEY [ROUNDS] | archive-warmed DISK ARCHIVE PUBLIC_KEY | verify ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256 [SCRATCH_DIR] "
                    + "| restore ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256 RAW_FILE");
        }
    }

    private static BackupManifest manifest(String[] arguments)
    {
        return new BackupManifest(BackupManifest.FORMAT_VERSION, "bench", "-", Instant.now().toString(), "shut off", 1, true, true, 0, "zstd", 3, List.of(),
                "stopped", 0, Path.of(arguments[1]).getFileName().toString(), "bench",
                List.of(new BackupManifest.Disk("vda", "-", "qcow2", 0, 0, DISK_ENTRY, arguments[4])));
    }

    private static Optional<DecryptionKeys> keys(String[] arguments)
    {
        return Optional.of(SecretKeys.load(Path.of(arguments[2]), Optional.of(Path.of(arguments[3]))));
    }

    /** CPU time of the whole process, every thread (the JIT's included), in nanoseconds: steadier than wall time on a shared machine. */
    private static long processCpu()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double seconds(long start)
    {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Waits until the JIT compilers have been idle for half a second (at most 20 s). @return the milliseconds waited */
    private static long settleCompilation()
            throws InterruptedException
    {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long before = compiler.getTotalCompilationTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
            Thread.sleep(500);
            long now = compiler.getTotalCompilationTime();
            if (now == before) {
                break;
            }
            before = now;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

}
