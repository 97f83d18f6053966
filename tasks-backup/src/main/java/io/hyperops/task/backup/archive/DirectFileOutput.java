package io.hyperops.task.backup.archive;


import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes a file that already exists (empty) with {@code O_DIRECT}: the bytes go from an aligned buffer
 * to the disk without passing through the page cache. Three reasons, each measured or seen
 * (docs/benchmarks.md, backup, session 10):
 * <ul>
 *   <li>the kernel's copy into the page cache and its writeback cost CPU, the pipeline's bottleneck: on
 *       these machines {@code dd} of a 441 MB archive spent 0.92 to 1.01 s of system time buffered and
 *       0.06 to 0.23 s direct, and the first touch of page-cache pages the host has taken back made
 *       the same backup vary by 0.5 s from one minute to the next;</li>
 *   <li>an archive is written once and read back only by a verify days later, so caching it only
 *       pushes the guests' own cached data out of the host's memory;</li>
 *   <li>the I/O priority of the writing thread ({@code io_priority}) applies to its writes; buffered
 *       writes reach the disk later from the kernel's flusher, at its priority.</li>
 * </ul>
 * Writes go out a buffer at a time on a thread of its own while the caller fills the other buffer, so
 * the wait for the disk overlaps encryption. The last buffer is padded to the alignment and the file
 * truncated to its length by {@link #finish()}. Where the file system refuses {@code O_DIRECT} (tmpfs on
 * older kernels, some FUSE file systems), {@link #open} is empty and the caller writes buffered.
 */
public final class DirectFileOutput
        extends OutputStream
{
    static final int BUFFER = DirectIo.BUFFER;

    private final FileChannel channel;
    private final int alignment;
    private final ExecutorService io;
    private final IoPriority priority;
    // touched by the writing thread only; it lives for one file, so the priority is not taken back
    private boolean prioritySet;
    private ByteBuffer filling;
    private ByteBuffer spare;
    private Future<?> inFlight;
    private long position;
    private long length;
    private boolean closed;

    private DirectFileOutput(FileChannel channel, int alignment, String name, IoPriority priority)
    {
        this.channel = channel;
        this.alignment = alignment;
        this.priority = priority;
        this.filling = DirectIo.buffer(alignment);
        this.spare = DirectIo.buffer(alignment);
        this.io = DirectIo.thread(name);
    }

    /**
     * @param file an existing, empty file (created by the caller with its permissions)
     * @param priority the I/O priority of the thread that writes
     * @return empty when the file system does not take direct writes, or {@code hyperops.backup.direct-io} is false
     */
    public static Optional<DirectFileOutput> open(Path file, String name, IoPriority priority)
    {
        try {
            return DirectIo.open(file, StandardOpenOption.WRITE).map(opened -> new DirectFileOutput(opened.channel(), opened.alignment(), name, priority));
        }
        catch (IOException e) {
            // the file's store cannot be read: the buffered writer meets the same problem and reports it
            return Optional.empty();
        }
    }

    @Override
    public void write(int value)
            throws IOException
    {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count)
            throws IOException
    {
        ensureOpen();
        int at = offset;
        int end = offset + count;
        while (at < end) {
            int n = Math.min(end - at, filling.remaining());
            filling.put(bytes, at, n);
            at += n;
            if (!filling.hasRemaining()) {
                send();
            }
        }
        length += count;
    }

    /** Writes what is left, padded to the alignment, waits for every write, and cuts the padding off again. */
    public void finish()
            throws IOException
    {
        ensureOpen();
        int tail = filling.position();
        if (tail > 0) {
            int padded = (tail + alignment - 1) & -alignment;
            while (filling.position() < padded) {
                filling.put((byte) 0);
            }
            filling.limit(padded);
            send();
        }
        await();
        channel.truncate(length);
        close();
    }

    /** Stops the writing thread (a write stuck on a slow disk is interrupted) and closes the file. */
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

    /** The full buffer goes to the writing thread once the write before it is done; the caller fills the other one. */
    private void send()
            throws IOException
    {
        await();
        ByteBuffer full = filling.flip();
        long at = position;
        position += full.remaining();
        inFlight = io.submit(() -> {
            if (!prioritySet) {
                priority.applyToCurrentThread();
                prioritySet = true;
            }
            DirectIo.writeFully(channel, full, at, alignment);
            return null;
        });
        filling = spare.clear();
        spare = full;
    }

    private void await()
            throws IOException
    {
        if (inFlight == null) {
            return;
        }
        DirectIo.await(inFlight);
        inFlight = null;
    }

    private void ensureOpen()
            throws IOException
    {
        if (closed) {
            throw new IOException("the file is closed");
        }
    }
}

