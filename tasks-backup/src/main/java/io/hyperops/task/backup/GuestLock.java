package io.hyperops.task.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One backup, verify, restore or prune of a guest at a time, across processes: an OS file lock on
 * {@code <backup_dir>/.locks/<vm>.lock}. The kernel drops the lock when its process dies, so a lock
 * left by a killed engine is never stale: the next run simply gets it.
 */
public final class GuestLock
        implements AutoCloseable
{
    private final FileChannel channel;
    private final FileLock lock;

    private GuestLock(FileChannel channel, FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another process or run holds the guest's lock */
    public static GuestLock acquire(Path backupRoot, String vmName)
            throws IOException
    {
        Path folder = Files.createDirectories(backupRoot.resolve(".locks"));
        Path file = folder.resolve(BackupStore.checkGuestName(vmName) + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        }
        catch (OverlappingFileLockException e) {
            // this process holds it already, in another run
            lock = null;
        }
        catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another backup, verify, restore or prune of " + vmName + " is running (lock " + file + "); wait for it to finish");
        }
        return new GuestLock(channel, lock);
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            lock.release();
        }
        finally {
            channel.close();
        }
    }
}
