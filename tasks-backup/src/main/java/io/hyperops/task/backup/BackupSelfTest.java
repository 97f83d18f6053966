package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.ArchiveReader;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.Folders;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.EphemeralKey;
import io.hyperops.task.backup.crypto.OpenPgpEncryption;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code hyperops backup selftest}: the whole archive path on this host, without a guest. A generated
 * disk of mixed content (noise, holes, text, as in the benchmark) is archived with the configured
 * compression and OpenPGP encryption to a throwaway key, read back in full (integrity, decompression,
 * checksum), restored and compared byte for byte with what was generated. It answers "can this host
 * back up?" before a guest depends on it: qemu-img, zstd's and JNA's native code, OpenSSL, the file
 * system of the folder given. It is also what {@code hyperops-cds} runs to train the backup commands'
 * class-data-sharing archive.
 */
final class BackupSelfTest
{
    static final String DISK_ENTRY = "disks/vda.raw";
    private static final int MIB = 1 << 20;

    private BackupSelfTest() {}

    /** @param folder where the scratch folder goes; it is deleted afterwards, whatever happens */
    static void run(BackupSettings settings, Path folder, int mebibytes, PrintWriter out)
            throws IOException, InterruptedException
    {
        if (mebibytes < 1) {
            throw new IllegalArgumentException("--size must be 1 MiB or more, was " + mebibytes);
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--dir " + folder + " is not a folder; give the folder to work in, e.g. the backup folder's file system");
        }
        Files.createDirectories(folder);
        Path scratch = Files.createTempDirectory(folder, ".hyperops-selftest-");
        try {
            out.printf(Locale.ROOT, "backup self-test in %s: a %d MiB disk of 40 %% noise, 30 %% holes, 30 %% text%n", scratch, mebibytes);
            out.flush();
            Path raw = scratch.resolve("generated.raw");
            MixedDisk.write(raw, (long) mebibytes * MIB);
            Path qcow2 = scratch.resolve("generated.qcow2");
            try {
                DiskFileWriter.toQcow2(raw, qcow2);
            }
            catch (IOException e) {
                throw new IOException("cannot make the test disk with qemu-img, which backups need too (Debian: apt-get install qemu-utils): " + e.getMessage(), e);
            }
            EphemeralKey key = EphemeralKey.create(scratch);

            Compression compression = settings.compressionKind();
            Path archive = scratch.resolve("self-test" + compression.extension() + ".gpg");
            long start = System.nanoTime();
            String checksum;
            long size;
            try (ArchiveWriter writer = ArchiveWriter.create(archive, compression, settings.compressionLevel(), settings.compressionWorkers(),
                    Optional.of(key.recipients()), settings.threadIoPriority(), Throttle.unlimited())) {
                checksum = writer.addDisk(DISK_ENTRY, DiskImage.inspect(qcow2), done -> { });
                size = writer.commit();
            }
            out.printf(Locale.ROOT, "  archive   %s level %d, AES-256 through %s: %d bytes in %s%n", compression.configName(), settings.compressionLevel(),
                    OpenPgpEncryption.cipherEngine(), size, rate(mebibytes, start));
            out.flush();

            Path restored = scratch.resolve("restored.raw");
            String[] readBack = {null};
            start = System.nanoTime();
            ArchiveReader.read(archive, Optional.of(key.decryption()), (name, length, content) -> {
                if (name.equals(DISK_ENTRY)) {
                    readBack[0] = DiskFileWriter.writeSparse(content, length, restored, BackupManifest.FORMAT_VERSION, Throttle.unlimited());
                }
            });
            if (readBack[0] == null) {
                throw new IOException("self-test failed: the archive read back has no " + DISK_ENTRY);
            }
            if (!readBack[0].equals(checksum)) {
                throw new IOException("self-test failed: the disk read back has checksum " + readBack[0] + ", written was " + checksum);
            }
            long mismatch = Files.mismatch(raw, restored);
            if (mismatch >= 0) {
                throw new IOException("self-test failed: the restored disk differs from the generated one at byte " + mismatch);
            }
            out.printf(Locale.ROOT, "  read back OpenPGP integrity, decompression, checksum, restore to a raw file: %s%n", rate(mebibytes, start));
            out.println("  restored  bit-identical to the generated disk");
            out.println("backup self-test passed");
            out.flush();
        }
        finally {
            Folders.deleteTree(scratch);
        }
    }

    private static String rate(int mebibytes, long start)
    {
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "%.2f s, %.0f MiB/s of disk content", seconds, mebibytes / seconds);
    }
}
