package io.hyperops.task.backup.archive;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes runs of a restored disk at their offsets with {@code O_DIRECT}, leaving the holes between them
 * unwritten: a restore of a large disk does not push the host's cached data out for a file a guest
 * reads through QEMU's own cache mode ({@code cache=none} bypasses the page cache). Each run is copied
 * into one of two aligned buffers and written on a thread of its own while the caller decompresses the
 * next. Offsets must be aligned; a run's length is padded with zeros to the alignment, which the caller
 * cuts off again by setting the file's length. Where the file system refuses {@code O_DIRECT},
 * {@link #open} is empty and the caller writes through the page cache.
 */
public final class DirectSparseWriter
        implements AutoCloseable
{
    public static final int BUFFER = DirectIo.BUFFER;

    private final FileChannel channel;
    private final int alignment;
    private final ExecutorService io;
    private ByteBuffer next;
    private ByteBuffer other;
    // the buffers take turns: the caller fills one while the other one's write is in flight
    private Future<?> inFlight;
    private boolean closed;

    private DirectSparseWriter(FileChannel channel, int alignment, String name)
    {
        this.channel = channel;
        this.alignment = alignment;
        this.next = DirectIo.buffer(alignment);
        this.other = DirectIo.buffer(alignment);
        this.io = DirectIo.thread(name);
    }

    /** @param file an existing file; @return empty when the file system does not take direct writes, or {@code hyperops.backup.direct-io} is false */
    public static Optional<DirectSparseWriter> open(Path file, String name)
            throws IOException
    {
        return DirectIo.open(file, StandardOpenOption.WRITE).map(opened -> new DirectSparseWriter(opened.channel(), opened.alignment(), name));
    }

    /** Whether {@code position} is where a direct write may start: the caller writes elsewhere through the page cache. */
    public boolean aligned(long position)
    {
        return position % alignment == 0;
    }

    /** Writes {@code length} bytes (at most {@link #BUFFER}) at an aligned {@code position}, padded with zeros to the alignment. */
    public void write(long position, byte[] bytes, int offset, int length)
            throws IOException
    {
        if (closed) {
            throw new IOException("the file is closed");
        }
        if (!aligned(position) || length > BUFFER) {
            throw new IllegalArgumentException("a direct write of " + length + " bytes at " + position + " is not aligned to " + alignment);
        }
        ByteBuffer buffer = next;
        buffer.clear().put(bytes, offset, length);
        while (buffer.position() % alignment != 0) {
            buffer.put((byte) 0);
        }
        buffer.flip();
        awaitInFlight();
        inFlight = io.submit(() -> {
            DirectIo.writeFully(channel, buffer, position, alignment);
            return null;
        });
        next = other;
        other = buffer;
    }

    /** Waits for the last write; the file's length and its fsync are the caller's. */
    public void finish()
            throws IOException
    {
        awaitInFlight();
        close();
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        DirectIo.close(io, channel);
    }

    private void awaitInFlight()
            throws IOException
    {
        if (inFlight != null) {
            DirectIo.await(inFlight);
            inFlight = null;
        }
    }
}
