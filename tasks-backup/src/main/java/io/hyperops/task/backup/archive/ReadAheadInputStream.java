package io.hyperops.task.backup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads its source on a thread of its own, a few chunks ahead, so that decrypting an archive overlaps
 * decompressing, hashing and writing it, as the stages of {@code gpg -d | zstd -d | tar x} do. A failure
 * of the source (a broken OpenPGP integrity check at its end, say) is thrown where the reader gets to it.
 */
final class ReadAheadInputStream
        extends InputStream
{
    private static final int CHUNK = 1 << 20;
    private static final int QUEUE = 4;

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUE + 2);
    private final InputStream source;
    private final Thread reader;
    private Chunk current = new Chunk(new byte[0], 0, null);
    private int position;
    private boolean ended;
    private boolean closed;

    ReadAheadInputStream(InputStream source, String name)
    {
        this.source = source;
        reader = new Thread(() -> fill(source), name);
        reader.setDaemon(true);
        reader.start();
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
        if (length == 0) {
            return 0;
        }
        while (position == current.length()) {
            if (ended) {
                return -1;
            }
            next();
        }
        int count = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, bytes, offset, count);
        position += count;
        return count;
    }

    /**
     * Stops the reading thread and closes the source: when that is gpg's output, closing ends the
     * process, which also ends a read the thread may be blocked in.
     */
    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        ended = true;
        reader.interrupt();
        try {
            source.close();
        }
        finally {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void next()
            throws IOException
    {
        if (current.length() > 0) {
            spare.offer(current.bytes());
        }
        try {
            current = queue.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the archive");
        }
        position = 0;
        if (current.failure() != null) {
            ended = true;
            Throwable failure = current.failure();
            current = new Chunk(new byte[0], 0, null);
            if (failure instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new IOException("reading the archive failed: " + failure, failure);
        }
        if (current.length() < 0) {
            ended = true;
            current = new Chunk(new byte[0], 0, null);
        }
    }

    private void fill(InputStream source)
    {
        try {
            while (true) {
                byte[] chunk = spare.poll();
                chunk = chunk != null ? chunk : new byte[CHUNK];
                int filled = 0;
                int read = 0;
                while (filled < CHUNK && (read = source.read(chunk, filled, CHUNK - filled)) >= 0) {
                    filled += read;
                }
                if (filled > 0) {
                    queue.put(new Chunk(chunk, filled, null));
                }
                if (read < 0) {
                    queue.put(new Chunk(new byte[0], -1, null));
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            // closed by the reader: nobody waits for more
        }
        catch (IOException | RuntimeException | Error e) {
            try {
                queue.put(new Chunk(new byte[0], 0, e));
            }
            catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** length -1 marks the end of the source; a failure ends it too. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {}
}
