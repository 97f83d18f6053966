package io.hyperops.task.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestGuestLock
{
    @TempDir
    Path folder;

    @Test
    @SuppressWarnings("try") // the locks are held by the try blocks
    void aSecondAttemptInTheSameProcessIsRefusedAndLeavesTheKernelLockInPlace()
            throws IOException
    {
        try (GuestLock first = GuestLock.acquire(folder, "web")) {
            Path file = folder.resolve(".locks/web.lock");
            assertThat(heldByThisProcess(file)).isTrue();

            assertThatThrownBy(() -> GuestLock.acquire(folder, "web"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another backup, verify, restore or prune of web is running");
            assertThatThrownBy(() -> GuestLock.acquire(folder.resolve("."), "web")).isInstanceOf(IllegalStateException.class);

            // the refused attempts closed nothing of the file: other processes still see the lock
            assertThat(heldByThisProcess(file)).isTrue();
            try (GuestLock other = GuestLock.acquire(folder, "db")) {
                assertThat(heldByThisProcess(folder.resolve(".locks/db.lock"))).isTrue();
            }
        }
        assertThat(heldByThisProcess(folder.resolve(".locks/web.lock"))).isFalse();
        try (GuestLock again = GuestLock.acquire(folder, "web")) {
            assertThat(heldByThisProcess(folder.resolve(".locks/web.lock"))).isTrue();
        }
    }

    /** Whether /proc/locks lists a POSIX lock of this process on the file (by inode), as any other process would see it. */
    private static boolean heldByThisProcess(Path file)
            throws IOException
    {
        long inode = (Long) Files.getAttribute(file, "unix:ino");
        String pid = Long.toString(ProcessHandle.current().pid());
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .map(line -> line.trim().split("\\s+"))
                .anyMatch(fields -> fields.length > 5 && fields[1].equals("POSIX") && fields[4].equals(pid) && fields[5].endsWith(":" + inode));
    }
}
