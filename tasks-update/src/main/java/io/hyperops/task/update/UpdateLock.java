package io.hyperops.task.update;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * One update or rollback at a time: the {@code update} and {@code update-rollback} jobs have job locks of
 * their own, and a rollback during an update's health gate would undo steps the update then records as
 * applied. An OS file lock across processes, and a permit within this one, taken before the file is
 * opened: closing a second descriptor of the file would drop the first one's POSIX lock.
 */
final class UpdateLock
        implements AutoCloseable
{
    private static final Semaphore IN_PROCESS = new Semaphore(1);

    private final FileChannel channel;
    private final FileLock lock;

    private UpdateLock(FileChannel channel, FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /** @return the lock, or empty while another update or rollback holds it */
    static Optional<UpdateLock> tryAcquire(Path file)
            throws IOException
    {
        if (!IN_PROCESS.tryAcquire()) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            }
            catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                IN_PROCESS.release();
                return Optional.empty();
            }
            return Optional.of(new UpdateLock(channel, lock));
        }
        catch (IOException | RuntimeException e) {
            IN_PROCESS.release();
            throw e;
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            lock.release();
        }
        finally {
            try {
                channel.close();
            }
            finally {
                IN_PROCESS.release();
            }
        }
    }
}
