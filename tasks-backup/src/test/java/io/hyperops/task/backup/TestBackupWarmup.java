package io.hyperops.task.backup;

import io.hyperops.task.backup.crypto.EphemeralKey;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's warm-up of the archive pipeline: what it runs, at which priority, and that it stops and cleans up. */
final class TestBackupWarmup
{
    @TempDir
    Path folder;

    @Test
    void runsTheEncryptedPipelineAtTheLowestPriorityAndLeavesNothingBehind()
            throws Exception
    {
        Path keys = Files.createDirectory(folder.resolve("keys"));
        EphemeralKey.create(keys);
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "encrypt", true, "recipientKeyFile", keys.resolve("self-test-public.asc"));
        Path scratch = Files.createDirectory(folder.resolve("tmp"));
        int callersNice = currentNice();

        // on a thread of its own: the warm-up lowers its caller's priority for good
        BackupWarmup.Result result = CompletableFuture.supplyAsync(() -> {
            try {
                return BackupWarmup.run(settings, scratch, 8, 2);
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable, "test-warmup").start()).get(2, TimeUnit.MINUTES);

        assertThat(result.nice()).isEqualTo(19);
        // 8 MiB: 3.2 of noise stored raw, 2.4 of text that compresses well, a hole that costs nothing
        assertThat(result.bytes()).isBetween(3L << 20, 5L << 20);
        try (var left = Files.list(scratch)) {
            assertThat(left.toList()).isEmpty();
        }
        assertThat(currentNice()).as("the caller's own priority").isEqualTo(callersNice);
    }

    @Test
    void stopInterruptsAWarmUpUnderWayAndItsScratchFolderGoes()
            throws Exception
    {
        Path scratch = Files.createDirectory(folder.resolve("tmp"));
        BackupWarmup warmup = new BackupWarmup(new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, BackupSettings.defaults()), Duration.ZERO, scratch);
        warmup.start();
        // stopped in the middle of the pipeline, not while it generates its disk
        assertThat(within(Duration.ofSeconds(60), () -> threadNamed("archive-compressor-warm-up.tar"))).as("the pipeline's stages run").isTrue();

        warmup.stop();

        // stop() waits 10 s at most, and the warm-up runs at nice 19: on a busy machine it ends, its scratch folder deleted, later
        assertThat(within(Duration.ofSeconds(60), () -> !threadNamed("backup-warmup"))).as("the warm-up thread ends").isTrue();
        assertThat(within(Duration.ofSeconds(60), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.isAlive() && thread.getName().endsWith("-warm-up.tar")))).as("the stage threads end").isTrue();
        assertThat(isEmpty(scratch)).isTrue();
    }

    @Test
    void warmUpFalseStartsNothing()
            throws Exception
    {
        Path scratch = Files.createDirectory(folder.resolve("tmp"));
        BackupSettings off = TestingSettings.of(BackupSettings.class, "warmUp", false);
        BackupWarmup warmup = new BackupWarmup(new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, off), Duration.ZERO, scratch);

        warmup.start();

        assertThat(threadNamed("backup-warmup")).isFalse();
        Thread.sleep(200);
        assertThat(isEmpty(scratch)).isTrue();
        warmup.stop();
    }

    private static boolean within(Duration limit, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    private static boolean isEmpty(Path folder)
            throws Exception
    {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private static boolean threadNamed(String name)
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name) && thread.isAlive());
    }

    /** The calling thread's nice value, field 19 of /proc/thread-self/stat. */
    private static int currentNice()
            throws Exception
    {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
