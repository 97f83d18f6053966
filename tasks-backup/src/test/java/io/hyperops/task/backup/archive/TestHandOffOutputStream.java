package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The hand-off between pipeline stages: what is written arrives whole and in order on the other thread;
 * a stage stopped midway or failing (a failed backup) closes its target on its own thread when asked
 * to, which is how the compressor's native memory is handed back at once rather than at a finalizer.
 */
final class TestHandOffOutputStream
{
    private static final int MIB = 1 << 20;

    @Test
    void bytesArriveWholeAndInOrderAndCloseClosesTheTargetOnce()
            throws IOException
    {
        Recording target = new Recording(null);
        byte[] content = new byte[3 * MIB + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        try (HandOffOutputStream stage = new HandOffOutputStream(target, "test-stage", IoPriority.UNCHANGED, true)) {
            stage.write(content, 0, MIB + 5);
            stage.write(content, MIB + 5, content.length - MIB - 5);
        }
        assertThat(target.bytes.toByteArray()).isEqualTo(content);
        assertThat(target.closes.get()).isEqualTo(1);
    }

    @Test
    void anAbortedStageClosesItsTargetOnlyWhenAskedAndNeverDuringAWrite()
            throws Exception
    {
        for (boolean release : new boolean[] {true, false}) {
            CountDownLatch writing = new CountDownLatch(1);
            Recording target = new Recording(writing);
            HandOffOutputStream stage = new HandOffOutputStream(target, "test-stage", IoPriority.UNCHANGED, release);
            stage.write(new byte[MIB], 0, MIB);
            // the stage's thread is inside the target's write, which blocks until interrupted
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

            stage.abort();

            assertThat(target.closes.get()).as("closes with releaseOnAbort %s", release).isEqualTo(release ? 1 : 0);
            assertThat(target.closedWhileWriting).as("closed while its thread was still writing").isFalse();
        }
    }

    @Test
    void aStageStoppedByAnInterruptedCallerOrFailingOnItsOwnStillClosesItsTargetAndTheCallerStaysInterrupted()
            throws Exception
    {
        // the caller was itself asked to stop (a cancelled run): abort must not swallow that, and the
        // stage's thread still hands the target's memory back
        CountDownLatch writing = new CountDownLatch(1);
        Recording target = new Recording(writing);
        HandOffOutputStream stage = new HandOffOutputStream(target, "test-stage", IoPriority.UNCHANGED, true);
        stage.write(new byte[MIB], 0, MIB);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt();
        try {
            stage.abort();
            assertThat(Thread.currentThread().isInterrupted()).as("the caller's stop request is kept").isTrue();
        }
        finally {
            Thread.interrupted();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (target.closes.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(target.closes.get()).isEqualTo(1);

        // a target that fails by itself (a full disk below it) is closed too, and the failure reaches the writer
        Recording failing = new Recording(null)
        {
            @Override
            public void write(byte[] content, int offset, int length)
                    throws IOException
            {
                throw new IOException("No space left on device");
            }
        };
        HandOffOutputStream failed = new HandOffOutputStream(failing, "test-stage", IoPriority.UNCHANGED, true);
        // the failure surfaces at the next write or at close, whichever comes after the thread saw it
        assertThatThrownBy(() -> {
            failed.write(new byte[MIB], 0, MIB);
            failed.close();
        }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        failed.abort();
        assertThat(failing.closes.get()).isEqualTo(1);
    }

    @Test
    void releasingAStoppedStageDoesNotWaitForANextStageThatIsStuck()
            throws Exception
    {
        // the next stage's thread is stuck in a write that ignores interrupts (a hung disk), its queue full
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        OutputStream hung = new OutputStream()
        {
            @Override
            public void write(int value)
            {
                write(new byte[] {(byte) value}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length)
            {
                stuck.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        unstick.await();
                        break;
                    }
                    catch (InterruptedException e) {
                        // uninterruptible, as a write to a hung disk; the interrupt is kept for later
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        HandOffOutputStream next = new HandOffOutputStream(hung, "test-next", IoPriority.UNCHANGED);
        try {
            next.write(new byte[1], 0, 1);
            next.write(new byte[MIB - 1], 0, MIB - 1);
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                next.write(new byte[MIB], 0, MIB);
            }
            // the stage being stopped writes a last megabyte into the stuck one when it is closed, as zstd's end of frame
            AtomicInteger closes = new AtomicInteger();
            OutputStream compressor = new OutputStream()
            {
                @Override
                public void write(int value)
                {
                }

                @Override
                public void close()
                        throws IOException
                {
                    closes.incrementAndGet();
                    next.write(new byte[MIB], 0, MIB);
                }
            };
            HandOffOutputStream stage = new HandOffOutputStream(compressor, "test-stage", IoPriority.UNCHANGED, true);

            boolean interruptedAfter = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                stage.abort();
                return Thread.currentThread().isInterrupted();
            });

            assertThat(closes.get()).isEqualTo(1);
            assertThat(interruptedAfter).as("the caller's interrupt status is kept").isFalse();
        }
        finally {
            unstick.countDown();
            next.abort();
        }
    }

    /** Records what it gets; with a latch, blocks in its first write until interrupted. */
    private static class Recording
            extends OutputStream
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger closes = new AtomicInteger();
        private final CountDownLatch writing;
        private volatile boolean inWrite;
        volatile boolean closedWhileWriting;

        Recording(CountDownLatch writing)
        {
            this.writing = writing;
        }

        @Override
        public void write(int value)
        {
            bytes.write(value);
        }

        @Override
        public void write(byte[] content, int offset, int length)
                throws IOException
        {
            inWrite = true;
            try {
                if (writing != null) {
                    writing.countDown();
                    try {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                    }
                    catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("stopped");
                    }
                }
                bytes.write(content, offset, length);
            }
            finally {
                inWrite = false;
            }
        }

        @Override
        public void close()
        {
            closedWhileWriting |= inWrite;
            closes.incrementAndGet();
        }
    }
}
