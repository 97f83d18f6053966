package io.hyperops.task.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One backup, verify, restore or prune of a guest at a time, across processes: an OS file lock on
 * {@code <backup_dir>/.locks/<vm>.lock}. The kernel drops the lock when its process dies, so a lock
 * left by a killed engine is never stale: the next run simply gets it.
 *
 * <p>Within one process the lock files held are also kept in a set, checked before any channel is
 * opened: the lock is a POSIX record lock, and closing any descriptor of the file, even one of a
 * failed second attempt, would drop the lock the first attempt still holds.
 */
public final class GuestLock
        implements AutoCloseable
{
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private GuestLock(Path file, FileChannel channel, FileLock lock)
    {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another process or run holds the guest's lock */
    public static GuestLock acquire(Path backupRoot, String vmName)
            throws IOException
    {
        Path folder = Files.createDirectories(backupRoot.resolve(".locks")).toRealPath();
        Path file = folder.resolve(BackupStore.checkGuestName(vmName) + ".lock");
        if (!HELD.add(file)) {
            throw busy(vmName, file);
        }
        try {
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
                throw busy(vmName, file);
            }
            return new GuestLock(file, channel, lock);
        }
        catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static IllegalStateException busy(String vmName, Path file)
    {
        return new IllegalStateException("another backup, verify, restore or prune of " + vmName + " is running (lock " + file + "); wait for it to finish");
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
                HELD.remove(file);
            }
        }
    }
}
