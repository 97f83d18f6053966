package io.hyperops.task.backup.archive;


import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads a file with {@code O_DIRECT}, a megabyte ahead on a thread of its own: what verify and restore
 * read archives with. A verify then reads what is on the disk, not the page cache's copy of what was
 * just written (the writer, {@link DirectFileOutput}, leaves none), and reading a backup does not push
 * the guests' cached data out of the host's memory. It also spares the kernel's copy into the page cache,
 * which cost a verify of the benchmark's archive 0.3 s more system time than the direct read
 * (docs/benchmarks.md, backup, session 10). Where the file system refuses {@code O_DIRECT},
 * {@link #open} is empty and the caller reads through the page cache.
 */
public final class DirectFileInput
        extends InputStream
{
    static final int BUFFER = DirectIo.BUFFER;

    private final FileChannel channel;
    private final int alignment;
    private final ExecutorService io;
    private ByteBuffer current;
    private Future<ByteBuffer> next;
    private long position;
    private boolean ended;
    private boolean closed;

    private DirectFileInput(FileChannel channel, int alignment, String name)
    {
        this.channel = channel;
        this.alignment = alignment;
        // used up from the start: the first read takes the block read ahead, and this buffer reads the one after it
        this.current = DirectIo.buffer(alignment).limit(0);
        this.io = DirectIo.thread(name);
        next = fetch(DirectIo.buffer(alignment));
    }

    /** @return empty when the file system does not take direct reads, or {@code hyperops.backup.direct-io} is false */
    public static Optional<InputStream> open(Path file, String name)
            throws IOException
    {
        return DirectIo.open(file, StandardOpenOption.READ).map(opened -> new DirectFileInput(opened.channel(), opened.alignment(), name));
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        if (closed) {
            throw new IOException("the file is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (!current.hasRemaining() && !advance()) {
            return -1;
        }
        int n = Math.min(length, current.remaining());
        current.get(bytes, offset, n);
        return n;
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

    /** Takes the buffer read ahead and has the one after it read into the buffer just used up. @return false at the end */
    private boolean advance()
            throws IOException
    {
        if (ended) {
            return false;
        }
        ByteBuffer done = current;
        current = DirectIo.await(next);
        if (current.remaining() < BUFFER) {
            // a short read is the end of the file: nothing is read past it
            ended = true;
            next = null;
        }
        else {
            next = fetch(done);
        }
        return current.hasRemaining();
    }

    private Future<ByteBuffer> fetch(ByteBuffer buffer)
    {
        long at = position;
        position += BUFFER;
        return io.submit(() -> {
            buffer.clear();
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at + buffer.position());
                // the end of the file: nothing more (0), or a read cut short off the alignment, past which no direct read may start
                if (read <= 0 || buffer.position() % alignment != 0) {
                    break;
                }
            }
            return buffer.flip();
        });
    }
}
