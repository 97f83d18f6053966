package io.hyperops.task.backup.archive;

import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.crypto.InvalidKeyFileException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads an archive in one pass, handing each tar entry to a handler, then reads every layer to its end,
 * so the OpenPGP integrity check and the compressor's own frame checks always run.
 */
public final class ArchiveReader
{
    private static final int BUFFER = 1 << 20;

    private ArchiveReader() {}

    @FunctionalInterface
    public interface EntryHandler
    {
        /** Reads as much of {@code content} as it likes; the reader skips the rest. */
        void entry(String name, long size, InputStream content)
                throws IOException, InterruptedException;
    }

    public static void read(Path archive, Optional<DecryptionKeys> keys, EntryHandler handler)
            throws IOException, InterruptedException
    {
        Compression compression = Compression.ofFileName(archive.getFileName().toString());
        boolean encrypted = archive.getFileName().toString().endsWith(".gpg");
        if (encrypted && keys.isEmpty()) {
            throw new InvalidKeyFileException(archive + " is encrypted; set secret_key_file (and passphrase_file) or gpg_home in the backup job's settings, "
                    + "or pass --secret-key and --passphrase-file");
        }
        // the plaintext is closed too: through gpg it is a process, which a failed read must not leave running;
        // and the decompressor, whose native context would otherwise wait for a collection and its finalizer
        // from the disk, past the page cache where the file system allows it (DirectFileInput says why)
        Optional<InputStream> direct = DirectFileInput.open(archive, "archive-reader-" + archive.getFileName());
        try (InputStream file = new BufferedInputStream(direct.isPresent() ? direct.get() : Files.newInputStream(archive), BUFFER);
                InputStream plain = encrypted ? new ReadAheadInputStream(keys.orElseThrow().decrypt(file), "archive-decryptor-" + archive.getFileName()) : file;
                InputStream decompressed = compression.decompress(plain)) {
            TarReader tar = new TarReader(decompressed);
            TarReader.Entry entry;
            while ((entry = tar.next()) != null) {
                handler.entry(entry.name(), entry.size(), entry.content());
            }
            drain(decompressed);
            drain(plain);
        }
    }

    private static void drain(InputStream in)
            throws IOException
    {
        byte[] buffer = new byte[1 << 16];
        while (in.read(buffer) >= 0) {
            // only reaching the end matters: it runs the integrity and frame checks
        }
    }
}
