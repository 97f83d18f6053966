package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.ArchiveReader;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.crypto.SecretKeys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a whole archive back: decryption with its integrity check, decompression, and the SHA-256
 * of every entry against the archive's own {@code SHA256SUMS} and each disk against the manifest
 * beside it. Any difference is an {@link IOException} naming it.
 */
public final class ArchiveCheck
{
    private static final int CHUNK = 1 << 20;

    private ArchiveCheck() {}

    public static void verify(Path archive, BackupManifest manifest, Optional<SecretKeys> keys, Progress progress)
            throws IOException, InterruptedException
    {
        Map<String, String> computed = new LinkedHashMap<>();
        Map<String, String> listed = new LinkedHashMap<>();
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
            computed.put(name, hash(content, size, name, read -> {
                done[0] += read;
                progress.report("verify " + manifest.vmName(), done[0], total);
            }));
        });
        if (listed.isEmpty()) {
            throw new IOException(archive + " has no " + ArchiveWriter.SUMS_ENTRY + " entry: it was cut short");
        }
        if (!listed.equals(computed)) {
            throw new IOException(archive + ": content differs from its " + ArchiveWriter.SUMS_ENTRY + " (listed " + listed.keySet() + ", read " + computed.keySet() + ")");
        }
        for (BackupManifest.Disk disk : manifest.disks()) {
            String sha256 = computed.get(disk.entry());
            if (!disk.sha256().equals(sha256)) {
                throw new IOException(archive + ": disk " + disk.target() + " has SHA-256 " + sha256 + ", the manifest says " + disk.sha256());
            }
        }
    }

    interface ReadCounter
    {
        void add(long bytes);
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
