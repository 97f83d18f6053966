package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.ArchiveReader;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.ChunkedSha256;
import io.hyperops.task.backup.archive.DiskChecksum;
import io.hyperops.task.backup.crypto.DecryptionKeys;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a whole archive back: decryption with its integrity check, decompression, the SHA-256 of
 * every entry but the disks against the archive's own {@code SHA256SUMS} (which lists each disk's chunk
 * list in its place), and each disk's {@link ChunkedSha256} against the manifest beside it. Any
 * difference is an {@link IOException} naming it. With a scratch folder, each qcow2 disk is also
 * restored while it is hashed, in the same pass, and checked with {@code qemu-img check} ({@link ScratchRestore}).
 */
public final class ArchiveCheck
{
    private static final int CHUNK = 1 << 20;

    private ArchiveCheck() {}

    public static void verify(Path archive, BackupManifest manifest, Optional<DecryptionKeys> keys, Progress progress)
            throws IOException, InterruptedException
    {
        verify(archive, manifest, keys, Optional.empty(), progress);
    }

    /**
     * @param scratch where to restore disks for {@code qemu-img check}; empty to leave that out
     * @return the check of each disk, in the manifest's order; empty without {@code scratch}
     * @throws IllegalStateException before anything is read, when the scratch image would not fit
     */
    public static List<VerifyRecord.ImageCheck> verify(Path archive, BackupManifest manifest, Optional<DecryptionKeys> keys, Optional<Path> scratch, Progress progress)
            throws IOException, InterruptedException
    {
        Optional<ScratchRestore> restore = scratch.map(ScratchRestore::new);
        if (restore.isPresent()) {
            restore.get().prepare(manifest);
        }
        try {
            return read(archive, manifest, keys, restore, progress);
        }
        finally {
            if (restore.isPresent()) {
                restore.get().delete();
            }
        }
    }

    private static List<VerifyRecord.ImageCheck> read(Path archive, BackupManifest manifest, Optional<DecryptionKeys> keys, Optional<ScratchRestore> restore,
            Progress progress)
            throws IOException, InterruptedException
    {
        Map<String, VerifyRecord.ImageCheck> checks = new LinkedHashMap<>();
        Map<String, String> computed = new LinkedHashMap<>();
        Map<String, String> listed = new LinkedHashMap<>();
        Map<String, String> disks = new LinkedHashMap<>();
        Set<String> diskEntries = manifest.disks().stream().map(BackupManifest.Disk::entry).collect(Collectors.toSet());
        long total = manifest.disks().stream().mapToLong(BackupManifest.Disk::virtualSize).sum();
        long[] done = {0};
        ArchiveReader.read(archive, keys, (name, size, content) -> {
            if (name.equals(ArchiveWriter.SUMS_ENTRY)) {
                for (String line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        listed.put(line.substring(line.indexOf("  ") + 2), line.substring(0, line.indexOf("  ")));
                    }
                }
                return;
            }
            ReadCounter counter = read -> {
                done[0] += read;
                progress.report("verify " + manifest.vmName(), done[0], total);
            };
            if (diskEntries.contains(name)) {
                BackupManifest.Disk disk = manifest.disks().stream().filter(candidate -> candidate.entry().equals(name)).findFirst().orElseThrow();
                String checksum;
                if (restore.isPresent() && ScratchRestore.checkable(disk)) {
                    ScratchRestore.Result result = restore.get().restoreAndCheck(disk, new CountingInputStream(content, counter), size, manifest.formatVersion());
                    checksum = result.checksum();
                    checks.put(disk.target(), result.check());
                }
                else {
                    checksum = diskChecksum(content, size, name, manifest.formatVersion(), counter);
                }
                disks.put(name, checksum);
                if (manifest.formatVersion() < 2) {
                    computed.put(name, checksum); // version 1 lists the disk itself in SHA256SUMS
                }
            }
            else {
                computed.put(name, hash(content, size, name, counter));
            }
        });
        if (listed.isEmpty()) {
            throw new IOException(archive + " has no " + ArchiveWriter.SUMS_ENTRY + " entry: it was cut short");
        }
        if (!listed.equals(computed)) {
            throw new IOException(archive + ": content differs from its " + ArchiveWriter.SUMS_ENTRY + " (listed " + listed.keySet() + ", read " + computed.keySet() + ")");
        }
        for (BackupManifest.Disk disk : manifest.disks()) {
            String sha256 = disks.get(disk.entry());
            if (!disk.sha256().equals(sha256)) {
                throw new IOException(archive + ": disk " + disk.target() + " has SHA-256 " + sha256 + ", the manifest says " + disk.sha256());
            }
        }
        if (restore.isEmpty()) {
            return List.of();
        }
        return manifest.disks().stream()
                .map(disk -> checks.getOrDefault(disk.target(),
                        new VerifyRecord.ImageCheck(disk.target(), disk.format(), true, "not checked: a raw image has no metadata for qemu-img check; its bytes were compared")))
                .toList();
    }

    /** Counts what the scratch restore reads, for the progress line. */
    private static final class CountingInputStream
            extends FilterInputStream
    {
        private final ReadCounter counter;

        CountingInputStream(InputStream in, ReadCounter counter)
        {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                counter.add(read);
            }
            return read;
        }
    }

    interface ReadCounter
    {
        void add(long bytes);
    }

    static String diskChecksum(InputStream content, long size, String name, int formatVersion, ReadCounter counter)
            throws IOException, InterruptedException
    {
        DiskChecksum chunks = DiskChecksum.forFormat(formatVersion);
        byte[] buffer = new byte[CHUNK];
        long remaining = size;
        while (remaining > 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("verify was asked to stop");
            }
            int read = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("entry " + name + " ends " + remaining + " bytes early");
            }
            chunks.update(buffer, 0, read);
            remaining -= read;
            counter.add(read);
        }
        return chunks.result();
    }

    static String hash(InputStream content, long size, String name, ReadCounter counter)
            throws IOException, InterruptedException
    {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime offers no SHA-256", e);
        }
        byte[] buffer = new byte[CHUNK];
        long remaining = size;
        while (remaining > 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("verify was asked to stop");
            }
            int read = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("entry " + name + " ends " + remaining + " bytes early");
            }
            sha256.update(buffer, 0, read);
            remaining -= read;
            counter.add(read);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
