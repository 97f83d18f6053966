package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.DiskExtent;
import io.hyperops.task.backup.archive.DiskImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated raw disk of the benchmark's mix: 40 % noise, then a 30 % hole, then 30 % text. Noise
 * takes the pipeline's stored-raw path, text its compressing one, the hole its sparse one, which is
 * what the self-test checks and what the daemon's warm-up compiles.
 */
final class MixedDisk
{
    private static final int MIB = 1 << 20;

    private MixedDisk() {}

    /**
     * Writes the disk to {@code raw}, which must not exist; the hole is never written, so the file is
     * sparse there. The text runs to the end, so the file has the disk's full size.
     *
     * @return the disk as {@link DiskImage#inspect} would see it, without asking qemu-img
     */
    static DiskImage write(Path raw, long size)
            throws IOException
    {
        long noise = size * 4 / 10;
        long hole = size * 3 / 10;
        SplittableRandom random = new SplittableRandom(size);
        byte[] chunk = new byte[MIB];
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < noise; at += chunk.length) {
                for (int i = 0; i < chunk.length; i += Long.BYTES) {
                    long value = random.nextLong();
                    for (int b = 0; b < Long.BYTES; b++) {
                        chunk[i + b] = (byte) (value >>> (b * 8));
                    }
                }
                write(channel, chunk, at, (int) Math.min(chunk.length, noise - at));
            }
            StringBuilder text = new StringBuilder();
            long line = 0;
            long at = noise + hole;
            while (at < size) {
                text.setLength(0);
                while (text.length() < MIB) {
                    text.append(line++).append(" backup self-test line\n");
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
                int length = (int) Math.min(bytes.length, size - at);
                write(channel, bytes, at, length);
                at += length;
            }
        }
        long textStart = noise + hole;
        return new DiskImage(raw, "raw", size, noise + (size - textStart), List.of(
                DiskExtent.data(0, noise, raw, 0),
                DiskExtent.zeros(noise, hole),
                DiskExtent.data(textStart, size - textStart, raw, textStart)));
    }

    private static void write(FileChannel channel, byte[] bytes, long position, int length)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
