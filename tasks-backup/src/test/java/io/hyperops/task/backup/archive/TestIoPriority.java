package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The I/O priority and the bandwidth limit on a real archive of a real file: the priority is read from
 * outside with stock {@code ionice -p TID} while the reading thread waits in the limiter, and on the
 * thread that does the direct writes of an archive.
 */
final class TestIoPriority
{
    private static final long MIB = 1 << 20;
    private static final String READER = "hbk-disk-reader";
    private static final String WRITER = "archive-writer-";

    @TempDir
    Path folder;

    @Test
    void settingsSyntax()
    {
        assertThat(IoPriority.parse("idle")).isEqualTo(new IoPriority(IoPriority.IDLE, 0));
        assertThat(IoPriority.parse("best-effort:7")).isEqualTo(IoPriority.LOWEST_BEST_EFFORT);
        assertThat(IoPriority.parse(" Best-Effort:0 ")).isEqualTo(new IoPriority(IoPriority.BEST_EFFORT, 0));
        assertThat(IoPriority.parse("none")).isEqualTo(IoPriority.UNCHANGED);
        for (String wrong : List.of("realtime", "best-effort:8", "best-effort", "3")) {
            assertThatThrownBy(() -> IoPriority.parse(wrong)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("io_priority");
        }
    }

    @Test
    void theDiskReaderAndTheArchiveWriterRunAtThePriorityAndTheDataPassesTheLimiter()
            throws Exception
    {
        Path disk = folder.resolve("disk.raw");
        byte[] content = new byte[(int) (8 * MIB)];
        new Random(7).nextBytes(content);
        Files.write(disk, content);
        DiskImage image = DiskImage.inspect(disk);

        // a fake clock that only the limiter's sleeps move; the first sleep holds the reader until the test has looked
        AtomicLong clock = new AtomicLong();
        List<Long> sleeps = new ArrayList<>();
        CountDownLatch inLimiter = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        Throttle throttle = new Throttle(MIB, clock::get, nanos -> {
            sleeps.add(nanos);
            clock.addAndGet(nanos);
            inLimiter.countDown();
            goOn.await();
        });
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch exit = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                start.await();
                try (ArchiveWriter writer = ArchiveWriter.create(folder.resolve("disk.tar.zst"), Compression.ZSTD, 3, 1, Optional.empty(),
                        IoPriority.parse("idle"), throttle)) {
                    writer.addDisk("disks/vda.raw", image, bytes -> { });
                    writer.commit();
                }
            }
            catch (Throwable e) {
                failure.set(e);
                inLimiter.countDown();
            }
            done.countDown();
            try {
                exit.await();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, READER);
        reader.start();
        try {
            long readerId = threadId(READER);
            String before = ionice(readerId);
            start.countDown();

            assertThat(inLimiter.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(failure.get()).isNull();
            assertThat(ionice(readerId)).isEqualTo("idle");
            assertThat(ionice(threadId(WRITER))).isEqualTo("idle");

            goOn.countDown();
            assertThat(done.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(failure.get()).isNull();
            // the reader is a worker thread of the engine: it gets its earlier priority back
            assertThat(ionice(readerId)).isEqualTo(before);
            // 1 MiB from the full bucket, the other 7 MiB at 1 MiB/s
            assertThat(sleeps).hasSize(7).allMatch(nanos -> nanos == TimeUnit.SECONDS.toNanos(1));
            assertThat(folder.resolve("disk.tar.zst")).exists();
        }
        finally {
            goOn.countDown();
            start.countDown();
            exit.countDown();
            reader.join();
        }
    }

    @Test
    void directWritesRunAtThePriority()
            throws Exception
    {
        Path file = Files.createFile(folder.resolve("archive.partial"));
        Optional<DirectFileOutput> direct = DirectFileOutput.open(file, "hbk-direct-write", IoPriority.parse("idle"));
        assumeTrue(direct.isPresent(), "O_DIRECT on " + file);
        try (DirectFileOutput out = direct.get()) {
            // the second buffer waits for the first one's write: the writing thread has run by then, and waits for more
            out.write(new byte[(int) (2 * MIB)]);

            assertThat(ionice(threadId("hbk-direct-write"))).isEqualTo("idle");
            out.finish();
        }
        assertThat(Files.size(file)).isEqualTo(2 * MIB);
    }

    /** The kernel's id of the thread with this name (as far as Linux keeps it: 15 characters). */
    private static long threadId(String name)
            throws IOException, InterruptedException
    {
        String kernelName = name.length() > 15 ? name.substring(0, 15) : name;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip().equals(kernelName)) {
                            return Long.parseLong(task.getFileName().toString());
                        }
                    }
                    catch (IOException e) {
                        // the thread ended while we looked
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no thread named " + kernelName + " in /proc/self/task");
    }

    private static String ionice(long threadId)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder("ionice", "-p", Long.toString(threadId)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
