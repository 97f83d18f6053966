package io.hyperops.task.backup.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands what is written to a thread of its own that writes it on, so the stages before (reading,
 * hashing, feeding the compressor) and after (OpenPGP encryption, which is serial CFB, and the file)
 * run at the same time, as the stages of a shell pipeline do. At most {@code QUEUE} chunks wait.
 * A failure of the writing thread surfaces at the next write or at {@link #close()}.
 *
 * <p>The chunks go round: the writing thread hands each back once written, so a backup of any size
 * allocates {@code QUEUE + 2} of them in all. A fresh megabyte per chunk would be a G1 humongous object
 * at a small heap and keep the collector busy for nothing.
 */
final class HandOffOutputStream
        extends OutputStream
{
    private static final int CHUNK = 1 << 20;
    private static final int QUEUE = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUE + 2);
    private final Thread writer;
    private final OutputStream target;
    private final boolean releaseOnAbort;
    private volatile Throwable failure;
    // set by the writing thread only, before it closes the target
    private boolean targetClosed;
    private byte[] chunk = new byte[CHUNK];
    private int filled;
    private boolean closed;

    /** Closing this stream closes {@code target} on the writing thread, which runs at {@code priority}. */
    HandOffOutputStream(OutputStream target, String name, IoPriority priority)
    {
        this(target, name, priority, false);
    }

    /**
     * @param releaseOnAbort whether the writing thread closes {@code target} also when it is stopped
     *        ({@link #abort()}) or fails: for a target that holds native memory (zstd's contexts and
     *        their buffers, tens of megabytes), which would otherwise wait for a collection and a finalizer
     */
    HandOffOutputStream(OutputStream target, String name, IoPriority priority, boolean releaseOnAbort)
    {
        this.target = target;
        this.releaseOnAbort = releaseOnAbort;
        writer = new Thread(() -> drain(priority), name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(int value)
            throws IOException
    {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        int at = offset;
        int remaining = length;
        while (remaining > 0) {
            int copied = Math.min(remaining, CHUNK - filled);
            System.arraycopy(bytes, at, chunk, filled, copied);
            filled += copied;
            at += copied;
            remaining -= copied;
            if (filled == CHUNK) {
                handOff(new Chunk(chunk, filled));
                chunk = nextChunk();
                filled = 0;
            }
        }
    }

    /** Sends what is buffered, waits for the writing thread to write and close its target. */
    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        if (filled > 0) {
            handOff(new Chunk(chunk, filled));
        }
        handOff(END);
        try {
            writer.join();
        }
        catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the archive was being finished");
        }
        checkFailure();
    }

    /** Stops the writing thread without finishing; for a run that failed anyway. */
    void abort()
    {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A chunk the writing thread gave back, or a new one while fewer than the queue holds are out. */
    private byte[] nextChunk()
    {
        byte[] reused = spare.poll();
        return reused != null ? reused : new byte[CHUNK];
    }

    private void handOff(Chunk bytes)
            throws IOException
    {
        try {
            while (!queue.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the archive");
        }
        checkFailure();
    }

    private void checkFailure()
            throws IOException
    {
        Throwable cause = failure;
        if (cause instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (cause != null) {
            throw new IOException("writing the archive failed: " + cause, cause);
        }
    }

    private void drain(IoPriority priority)
    {
        try {
            // this thread lives for one archive only, so the priority is not taken back
            priority.applyToCurrentThread();
            while (true) {
                Chunk next = queue.take();
                if (next == END) {
                    targetClosed = true;
                    target.close();
                    return;
                }
                target.write(next.bytes(), 0, next.length());
                spare.offer(next.bytes());
            }
        }
        // released before the failure is published, so a writer that sees the failure knows the
        // target's memory is already handed back
        catch (InterruptedException e) {
            releaseThenFail(new InterruptedIOException("the archive writer was stopped"));
        }
        catch (IOException | RuntimeException | Error e) {
            releaseThenFail(e);
        }
    }

    private void releaseThenFail(Throwable cause)
    {
        try {
            release();
        }
        finally {
            failure = cause;
        }
    }

    /**
     * Closes the target of a stage that stopped or failed, on the stage's own thread, when asked to
     * ({@code releaseOnAbort}). What the target writes on closing (zstd's end of frame) goes to the next
     * stage, which is stopped or about to be and may be stuck on a hung disk: this thread is marked
     * interrupted first, so that a hand-off there fails at once rather than waiting. The target frees
     * its resources either way, and this thread ends right after.
     */
    private void release()
    {
        if (!releaseOnAbort || targetClosed) {
            return;
        }
        targetClosed = true;
        Thread.currentThread().interrupt();
        try {
            target.close();
        }
        catch (IOException | RuntimeException e) {
            // the run failed already; this only hands memory back
        }
    }

    private record Chunk(byte[] bytes, int length) {}
}
