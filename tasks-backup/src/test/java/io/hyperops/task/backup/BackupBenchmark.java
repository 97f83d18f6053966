package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The archive pipeline on one disk image, timed, for scripts/bench-backup.sh:
 * {@code archive DISK ARCHIVE PUBLIC_KEY} writes it (read, zstd -3 on all CPUs, OpenPGP, fsync, rename);
 * {@code verify ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256} reads it back in full.
 */
public final class BackupBenchmark
{
    private BackupBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        long start = System.nanoTime();
        switch (arguments[0]) {
            case "archive" -> {
                DiskImage image = DiskImage.inspect(Path.of(arguments[1]));
                Optional<RecipientKeys> recipients = Optional.of(RecipientKeys.load(Path.of(arguments[3]), Instant.now()));
                try (ArchiveWriter writer = ArchiveWriter.create(Path.of(arguments[2]), Compression.ZSTD, 3, 0, recipients, IoPriority.UNCHANGED, Throttle.unlimited())) {
                    String sha256 = writer.addDisk("disks/vda.raw", image, done -> { });
                    long size = writer.commit();
                    System.out.printf(Locale.ROOT, "hyperops archive: %.2f s, %d bytes, sha256 %s%n", seconds(start), size, sha256);
                }
            }
            case "verify" -> {
                BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, "bench", "-", Instant.now().toString(), "shut off", 1, true, true, 0, "zstd", 3, List.of(),
                        "stopped", 0, Path.of(arguments[1]).getFileName().toString(), "bench",
                        List.of(new BackupManifest.Disk("vda", "-", "qcow2", 0, 0, "disks/vda.raw", arguments[4])));
                ArchiveCheck.verify(Path.of(arguments[1]), manifest, Optional.of(SecretKeys.load(Path.of(arguments[2]), Optional.of(Path.of(arguments[3])))),
                        Progress.NONE);
                System.out.printf(Locale.ROOT, "hyperops verify: %.2f s%n", seconds(start));
            }
            default -> throw new IllegalArgumentException("archive DISK ARCHIVE PUBLIC_KEY | verify ARCHIVE SECRET_KEY PASSPHRASE_FILE SHA256");
        }
    }

    private static double seconds(long start)
    {
        return (System.nanoTime() - start) / 1e9;
    }
}
