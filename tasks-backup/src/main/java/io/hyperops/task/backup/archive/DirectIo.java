package io.hyperops.task.backup.archive;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What {@link DirectFileOutput} and {@link DirectFileInput} share: the alignment, the buffers, the thread that does the I/O. */
final class DirectIo
{
    static final int BUFFER = 1 << 20;
    // larger alignments than this are no block size a disk has; such a file system is read and written buffered
    private static final long MAX_ALIGNMENT = 64 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(DirectIo.class);

    private DirectIo() {}

    /** A file opened for direct reads or writes, and the alignment its offsets, lengths and buffers need. */
    record Opened(FileChannel channel, int alignment) {}

    /**
     * Opens {@code file} (which exists) with {@code O_DIRECT}. Empty where direct I/O is not to be had, and
     * the caller goes through the page cache: the file system refuses it (tmpfs before Linux 6.6, some
     * FUSE file systems), its block size is no alignment direct I/O takes, or {@code hyperops.backup.direct-io} is false.
     */
    static Optional<Opened> open(Path file, StandardOpenOption mode)
            throws IOException
    {
        OptionalInt alignment = alignment(file);
        if (alignment.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Opened(FileChannel.open(file, mode, ExtendedOpenOption.DIRECT), alignment.getAsInt()));
        }
        catch (IOException | UnsupportedOperationException e) {
            LOG.debug("{} goes through the page cache: the file system refused direct I/O ({})", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * @return the alignment direct I/O on {@code file} needs (the JDK checks it against the file system's block size),
     *         empty when it is no power of two up to 64 KiB or {@code hyperops.backup.direct-io} is false
     */
    private static OptionalInt alignment(Path file)
            throws IOException
    {
        if (!Boolean.parseBoolean(System.getProperty("hyperops.backup.direct-io", "true"))) {
            return OptionalInt.empty();
        }
        long alignment;
        try {
            alignment = Math.max(4096, Files.getFileStore(file).getBlockSize());
        }
        catch (UnsupportedOperationException e) {
            return OptionalInt.empty();
        }
        return Long.bitCount(alignment) == 1 && alignment <= MAX_ALIGNMENT ? OptionalInt.of((int) alignment) : OptionalInt.empty();
    }

    static ByteBuffer buffer(int alignment)
    {
        return ByteBuffer.allocateDirect(BUFFER + alignment).alignedSlice(alignment).slice(0, BUFFER);
    }

    /** The thread the reads or writes of one file run on, one at a time. */
    static ExecutorService thread(String name)
    {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the buffer's bytes at {@code position}; a write cut short (the file system out of room) is said as such. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position, int alignment)
            throws IOException
    {
        long start = position - buffer.position();
        while (buffer.hasRemaining()) {
            channel.write(buffer, start + buffer.position());
            if (buffer.hasRemaining() && buffer.position() % alignment != 0) {
                // The next direct write would have to start off the alignment, which the kernel refuses with
                // EINVAL and hides the cause. A regular file takes part of a write only when it is out of room.
                throw new IOException("No space left on device: the disk took " + buffer.position() + " of " + buffer.limit()
                        + " bytes of a write (or a quota or file size limit stopped it)");
            }
        }
    }

    /** @return what the read or write gave; its failure as an IOException with the cause's message ("No space left on device") */
    static <T> T await(Future<T> io)
            throws IOException
    {
        try {
            return io.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the disk");
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException failure ? new IOException(failure.getMessage(), failure) : new IOException(String.valueOf(cause), cause);
        }
    }

    /** Stops the thread (an operation stuck on a slow disk is interrupted, which closes the channel) and closes the file. */
    static void close(ExecutorService io, FileChannel channel)
            throws IOException
    {
        io.shutdownNow();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A direct read or write did not end 10 s after it was interrupted");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            channel.close();
        }
    }
}
