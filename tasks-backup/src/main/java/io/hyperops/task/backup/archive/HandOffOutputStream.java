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
 */
final class HandOffOutputStream
        extends OutputStream
{
    private static final int CHUNK = 1 << 20;
    private static final int QUEUE = 8;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile Throwable failure;
    private byte[] chunk = new byte[CHUNK];
    private int filled;
    private boolean closed;

    /** Closing this stream closes {@code target} on the writing thread, which runs at {@code priority}. */
    HandOffOutputStream(OutputStream target, String name, IoPriority priority)
    {
        writer = new Thread(() -> drain(target, priority), name);
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
                handOff(chunk);
                chunk = new byte[CHUNK];
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
            byte[] last = new byte[filled];
            System.arraycopy(chunk, 0, last, 0, filled);
            handOff(last);
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

    private void handOff(byte[] bytes)
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

    private void drain(OutputStream target, IoPriority priority)
    {
        try {
            // this thread lives for one archive only, so the priority is not taken back
            priority.applyToCurrentThread();
            while (true) {
                byte[] bytes = queue.take();
                if (bytes == END) {
                    target.close();
                    return;
                }
                target.write(bytes);
            }
        }
        catch (InterruptedException e) {
            failure = new InterruptedIOException("the archive writer was stopped");
        }
        catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
    }
}
