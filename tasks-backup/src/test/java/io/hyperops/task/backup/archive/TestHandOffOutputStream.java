package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off between pipeline stages: what is written arrives whole and in order on the other thread;
 * a stage stopped midway (a failed backup) closes its target only when asked to, once its thread has
 * ended, which is how the compressor's native memory is handed back at once rather than at a finalizer.
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
    void anAbortedStageClosesItsTargetOnlyWhenAskedAndOnlyAfterItsThreadEnded()
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

    /** Records what it gets; with a latch, blocks in its first write until interrupted. */
    private static final class Recording
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
