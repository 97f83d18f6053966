package io.hyperops.task.backup.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.function.LongConsumer;

/**
 * Streams the data extents of a disk, in order, and hashes the whole guest-visible content on the way
 * ({@link ChunkedSha256}). Zero extents are neither read nor written: the tar entry is sparse
 * ({@link SparseEntry}), and whole zero chunks cost the checksum nothing.
 */
public final class DiskStreamer
{
    private static final int CHUNK = 1 << 20;

    private DiskStreamer() {}

    /**
     * @param throttle every chunk of data read passes through it; zero extents are not read and cost nothing
     * @param progress called with the bytes done so far after each chunk
     * @return the chunk list of the content ({@link ChunkedSha256#list()})
     */
    public static String stream(DiskImage image, OutputStream out, Throttle throttle, LongConsumer progress)
            throws IOException, InterruptedException
    {
        ChunkedSha256 sha256 = new ChunkedSha256();
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        Map<Path, FileChannel> channels = new HashMap<>();
        // past the page cache where the files allow it (DirectDiskReader says why); else positional reads through it
        Set<Path> files = image.extents().stream().flatMap(extent -> extent.file().stream()).collect(Collectors.toCollection(LinkedHashSet::new));
        Optional<DirectDiskReader> direct = DirectDiskReader.open(files, spans(image), "disk-reader-" + image.file().getFileName());
        long done = 0;
        try {
            for (DiskExtent extent : image.extents()) {
                long remaining = extent.length();
                long position = extent.offset();
                while (remaining > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("backup of " + image.file() + " was asked to stop");
                    }
                    long length = extent.isZero() ? remaining : Math.min(CHUNK, remaining);
                    if (extent.isZero()) {
                        sha256.zeros(length);
                    }
                    else {
                        int read = (int) length;
                        throttle.acquire(read);
                        if (direct.isPresent()) {
                            direct.get().next(chunk);
                        }
                        else {
                            FileChannel channel = channels.computeIfAbsent(extent.file().orElseThrow(), DiskStreamer::open);
                            buffer.clear().limit(read);
                            readFully(channel, buffer, position, image.file());
                        }
                        sha256.update(chunk, 0, read);
                        out.write(chunk, 0, read);
                        position += length;
                    }
                    remaining -= length;
                    done += length;
                    progress.accept(done);
                }
            }
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
        finally {
            try {
                for (FileChannel channel : channels.values()) {
                    channel.close();
                }
            }
            finally {
                if (direct.isPresent()) {
                    direct.get().close();
                }
            }
        }
        if (done != image.virtualSize()) {
            throw new IOException("qemu-img map of " + image.file() + " covers " + done + " bytes, not its virtual size " + image.virtualSize());
        }
        return sha256.list();
    }

    /** The data chunks the loop above reads, in its order, made as they are asked for. */
    private static Iterator<DirectDiskReader.Span> spans(DiskImage image)
    {
        return image.extents().stream()
                .filter(extent -> !extent.isZero())
                .flatMap(extent -> LongStream.iterate(0, at -> at < extent.length(), at -> at + CHUNK)
                        .mapToObj(at -> new DirectDiskReader.Span(extent.file().orElseThrow(), extent.offset() + at, (int) Math.min(CHUNK, extent.length() - at))))
                .iterator();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path disk)
            throws IOException
    {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException(disk + " ended at " + at + " inside an extent qemu-img reported as data");
            }
            at += read;
        }
    }

    private static FileChannel open(Path file)
    {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
