package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The real qemu-img: its answers, its errors kept apart, and a stopped caller that does not leave it running. */
final class TestQemuImg
{
    @Test
    void answersAndErrorsAreKeptApart(@TempDir Path folder)
            throws Exception
    {
        Path image = emptyImage(folder.resolve("disk.raw"));

        QemuImg.Result info = QemuImg.run(List.of("info", "--output=json", image.toString()));
        QemuImg.Result missing = QemuImg.run(List.of("info", folder.resolve("missing.raw").toString()));

        assertThat(info.exit()).isZero();
        assertThat(info.output()).contains("\"virtual-size\": 1048576");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).isEmpty();
        assertThat(missing.errors()).contains("missing.raw");
    }

    @Test
    void aStoppedCallerKillsQemuImgWhileItRunsSilently(@TempDir Path folder)
            throws Exception
    {
        // qemu-img bench prints nothing until it ends, minutes from now: what a long convert looks like to its caller
        Path image = emptyImage(folder.resolve("bench.raw"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                QemuImg.run(List.of("bench", "-c", "2000000000", "-f", "raw", image.toString()));
            }
            catch (Throwable e) {
                thrown.set(e);
            }
        });
        caller.start();
        waitUntil(() -> running(image), "qemu-img bench to start");

        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(caller.isAlive()).as("the caller returns when stopped").isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        waitUntil(() -> !running(image), "qemu-img to be gone");
    }

    /** A raw image of 1 MiB of holes. */
    private static Path emptyImage(Path image)
            throws java.io.IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(1 << 20);
        }
        return image;
    }

    private static boolean running(Path image)
    {
        return ProcessHandle.allProcesses()
                .anyMatch(process -> process.info().commandLine().map(line -> line.contains("qemu-img") && line.contains(image.toString())).orElse(false));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
