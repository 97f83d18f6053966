package io.hyperops.engine.run;

import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * One lock file per job, held with an OS file lock for the length of a run, so that two processes (the
 * daemon and a {@code run-job}, or two {@code run-job}s) never run the same job at once. The kernel
 * drops the lock when its holder dies, so a crash never leaves a job locked.
 */
public final class JobLocks
{
    private final Path folder;

    @Inject
    public JobLocks(HostPaths paths)
    {
        this.folder = requireNonNull(paths, "paths is null").stateDir().resolve("locks");
    }

    /** The lock, or empty with the current holder's description when another process has it. */
    public Acquired tryLock(String job, String runId)
    {
        Path file = folder.resolve(job + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(file, CREATE, READ, WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            }
            catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                return new Acquired(Optional.empty(), holder);
            }
            // Who holds it, for the message the next contender prints.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", run " + runId).getBytes(StandardCharsets.UTF_8)), 0);
            return new Acquired(Optional.of(new JobLock(channel, lock)), "");
        }
        catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock job '" + job + "' with " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readHolder(FileChannel channel)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        String holder = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
        return holder.isEmpty() ? "another process" : holder;
    }

    private static void closeQuietly(FileChannel channel)
    {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ignored) {
                // Already failing; the first error is the one reported.
            }
        }
    }

    public record Acquired(Optional<JobLock> lock, String holder) {}

    public static final class JobLock
            implements AutoCloseable
    {
        private final FileChannel channel;
        private final FileLock lock;

        private JobLock(FileChannel channel, FileLock lock)
        {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close()
        {
            try (channel) {
                lock.release();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot release job lock: " + e.getMessage(), e);
            }
        }
    }
}
