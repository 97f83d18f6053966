package io.hyperops.task.backup.archive;


import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads a disk's data, span after span in the order the streamer takes them, with {@code O_DIRECT} and
 * two spans ahead on a thread of its own. A backup reads every guest disk once a night: through the page
 * cache it would push out all the host holds there (what guests with a caching mode and the host itself
 * use) for data nobody reads again soon. QEMU's own reads of a disk with {@code cache=none}, the usual
 * mode, do not go through it either. Spans need not be aligned: each is read from the alignment below
 * its start to the one above its end, and the extra bytes are left out. Where a file refuses
 * {@code O_DIRECT}, {@link #open} is empty and the streamer reads through the page cache.
 */
final class DirectDiskReader
        implements AutoCloseable
{
    private static final int AHEAD = 2;

    /** {@code length} bytes of {@code file} at {@code offset}: at most a buffer's worth. */
    record Span(Path file, long offset, int length) {}

    // made as they are read: a disk of a terabyte has a million of them
    private final Iterator<Span> spans;
    private final Map<Path, FileChannel> channels;
    private final int alignment;
    private final ExecutorService io;
    private final Deque<Future<ByteBuffer>> ahead = new ArrayDeque<>();
    private final Deque<ByteBuffer> free = new ArrayDeque<>();

    private DirectDiskReader(Iterator<Span> spans, Map<Path, FileChannel> channels, int alignment, String name)
    {
        this.spans = spans;
        this.channels = channels;
        this.alignment = alignment;
        this.io = DirectIo.thread(name);
        for (int i = 0; i < AHEAD; i++) {
            // room for a whole span and the alignment on both sides of it
            free.add(ByteBuffer.allocateDirect(DirectIo.BUFFER + 3 * alignment).alignedSlice(alignment));
        }
        fetchAhead();
    }

    /**
     * @param files every file a span names (a disk's backing chain)
     * @return empty when a file refuses direct reads, or {@code hyperops.backup.direct-io} is false
     */
    static Optional<DirectDiskReader> open(Set<Path> files, Iterator<Span> spans, String name)
            throws IOException
    {
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        int alignment = 0;
        try {
            for (Path file : files) {
                Optional<DirectIo.Opened> opened = DirectIo.open(file, StandardOpenOption.READ);
                if (opened.isEmpty()) {
                    // one file of the chain that cannot be read directly: the whole disk goes through the page cache
                    closeAll(channels);
                    return Optional.empty();
                }
                alignment = Math.max(alignment, opened.get().alignment());
                channels.put(file, opened.get().channel());
            }
        }
        catch (IOException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return Optional.of(new DirectDiskReader(spans, channels, Math.max(alignment, 4096), name));
    }

    /** Copies the next span's bytes into {@code into}, from its start. */
    void next(byte[] into)
            throws IOException
    {
        Future<ByteBuffer> read = ahead.poll();
        if (read == null) {
            throw new IllegalStateException("every span was read");
        }
        ByteBuffer buffer = DirectIo.await(read);
        buffer.get(into, 0, buffer.remaining());
        free.add(buffer);
        fetchAhead();
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            io.shutdownNow();
        }
        finally {
            closeAll(channels);
        }
    }

    private void fetchAhead()
    {
        while (!free.isEmpty() && spans.hasNext()) {
            ByteBuffer buffer = free.poll();
            Span span = spans.next();
            if (span.length() > DirectIo.BUFFER || !channels.containsKey(span.file())) {
                throw new IllegalArgumentException("a span of " + span.length() + " bytes of " + span.file() + " is more than a buffer or of another file");
            }
            ahead.add(io.submit(() -> read(span, buffer)));
        }
    }

    /** The span's bytes, between the buffer's position and limit. */
    private ByteBuffer read(Span span, ByteBuffer buffer)
            throws IOException
    {
        long start = span.offset() & -alignment;
        long end = span.offset() + span.length();
        int length = (int) (((end - start) + alignment - 1) & -alignment);
        buffer.clear().limit(length);
        FileChannel channel = channels.get(span.file());
        while (start + buffer.position() < end) {
            int read = channel.read(buffer, start + buffer.position());
            // a read cut short off the alignment is the file's end: no direct read may start there
            if (read <= 0 || (buffer.hasRemaining() && buffer.position() % alignment != 0)) {
                break;
            }
        }
        if (start + buffer.position() < end) {
            throw new EOFException(span.file() + " ended at " + (start + buffer.position()) + " inside an extent qemu-img reported as data");
        }
        return buffer.limit((int) (end - start)).position((int) (span.offset() - start));
    }

    private static void closeAll(Map<Path, FileChannel> channels)
            throws IOException
    {
        IOException failure = null;
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            }
            catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
