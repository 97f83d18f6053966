package io.hyperops.engine.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Replaces a file so that a reader sees the old content or the new, never a mix: write a temp file in
 * the same folder, fsync it, rename it over the target, fsync the folder. A crash, {@code kill -9} or a
 * full disk at any point leaves the old file intact (and at worst a stray temp file, which
 * {@link #isTempFile} recognizes, so readers of a folder skip it).
 */
public final class AtomicFiles
{
    private static final String TEMP_MARKER = ".tmp-";

    private AtomicFiles() {}

    public static void write(Path target, byte[] content)
    {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = folder.resolve("." + target.getFileName() + TEMP_MARKER + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temp, target);
            syncFolder(folder);
        }
        catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static boolean isTempFile(Path file)
    {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARKER);
    }

    private static void move(Path temp, Path target)
            throws IOException
    {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this only happens on odd file systems; a plain replace is the best left.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // Without this the rename itself may be lost on power failure, leaving the old file (or none).
    private static void syncFolder(Path folder)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(folder, READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ignored) {
            // The write already failed; that error is the one worth reporting.
        }
    }
}
