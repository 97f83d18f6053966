package io.hyperops.engine.control;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads a log file's lines and, when following, keeps reading as it grows, across rotation: when the
 * file at the path is replaced (another inode) or truncated, it starts again at the new file's top.
 */
final class LogTail
{
    private static final long POLL_MILLIS = 200;
    private static final long IDLE_MILLIS = 5000;

    private final Path file;
    private Object fileKey;
    private long position;
    private final StringBuilder partial = new StringBuilder();
    private List<String> backlog = List.of();

    LogTail(Path file)
    {
        this.file = java.util.Objects.requireNonNull(file, "file is null");
    }

    /**
     * Starts at the last {@code lines} lines of the file as it is now that {@code selected} takes: the
     * count is of what the reader asked for ({@code --job}, {@code --since}), not of the whole file.
     */
    void startAtLast(int lines, Predicate<String> selected)
            throws IOException
    {
        if (lines < 0) {
            throw new IllegalArgumentException("the number of lines must be 0 or more, was " + lines);
        }
        if (!Files.exists(file)) {
            return;
        }
        // Decoded leniently: one bad byte in a log must not stop an operator from reading it.
        List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().filter(selected).toList();
        position = Files.size(file);
        fileKey = key();
        backlog = all.subList(Math.max(0, all.size() - lines), all.size());
    }

    /**
     * Hands every line to {@code sink}: the backlog, then new lines as they come while {@code keepGoing}
     * holds. Returns when not following and the end is reached, or when {@code keepGoing} turns false
     * (after a last read, so nothing written before that is lost).
     */
    void pump(LineSink sink, boolean follow, BooleanSupplier keepGoing)
            throws IOException, InterruptedException
    {
        for (String line : backlog) {
            sink.accept(line);
        }
        backlog = List.of();
        long quietSince = System.nanoTime();
        while (true) {
            boolean going = keepGoing.getAsBoolean();
            List<String> lines = readNew();
            for (String line : lines) {
                sink.accept(line);
            }
            if (!follow || !going) {
                return;
            }
            if (!lines.isEmpty()) {
                quietSince = System.nanoTime();
            }
            else if (System.nanoTime() - quietSince > IDLE_MILLIS * 1_000_000) {
                // Writing is the only way to learn that a follower went away; a quiet log would hold its thread forever.
                sink.idle();
                quietSince = System.nanoTime();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private List<String> readNew()
            throws IOException
    {
        Object current;
        long size;
        try {
            current = key();
            size = Files.size(file);
        }
        catch (NoSuchFileException e) {
            // Between the rename of rotation and the creation of the new file.
            return List.of();
        }
        if (fileKey != null && (!fileKey.equals(current) || size < position)) {
            position = 0;
            partial.setLength(0);
        }
        fileKey = current;
        if (size == position) {
            return List.of();
        }
        byte[] bytes;
        try (RandomAccessFile input = new RandomAccessFile(file.toFile(), "r")) {
            input.seek(position);
            bytes = new byte[(int) Math.min(size - position, 4 * 1024 * 1024)];
            input.readFully(bytes);
        }
        position += bytes.length;
        partial.append(new String(bytes, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, newline));
            partial.delete(0, newline + 1);
        }
        return lines;
    }

    private Object key()
            throws IOException
    {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @FunctionalInterface
    interface LineSink
    {
        void accept(String line)
                throws IOException;

        /** Called after a quiet spell while following; throws once the reader is gone. */
        default void idle()
                throws IOException
        {}
    }
}
