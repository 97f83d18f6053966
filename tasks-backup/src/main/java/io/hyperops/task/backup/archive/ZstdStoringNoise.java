package io.hyperops.task.backup.archive;

import com.github.luben.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * zstd that stores runs which look like noise (already compressed or encrypted data, random bytes) as
 * raw zstd frames instead of searching them for matches that are not there. zstd level 3 spends about
 * a quarter of its time here on the random part of a mixed disk and saves nothing on it
 * (docs/benchmarks.md). The output is still plain zstd: concatenated frames, which {@code zstd -d}
 * and every zstd reader decode as one stream.
 *
 * <p>A run is noise when a sample of its bytes has a byte entropy above {@link #NOISE_BITS}: random
 * data measures 7.99 bits per byte in a 16 KiB sample, text 4 to 5, machine code and file system
 * metadata well under 7. Duplicated noise within zstd's window would have compressed and is stored
 * whole: the price of not looking.
 */
final class ZstdStoringNoise
        extends OutputStream
{
    static final double NOISE_BITS = 7.9;
    private static final int MIN_RUN = 1 << 16;
    private static final int SAMPLES = 4;
    private static final int SAMPLE = 4096;
    private static final int RAW_BLOCK = 1 << 17;
    // magic, then a frame header descriptor without content size or checksum, and a 128 KiB window
    private static final byte[] RAW_FRAME_HEADER = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x00, 0x38};

    private final OutputStream out;
    private final ZstdOutputStream zstd;
    private final byte[] blockHeader = new byte[3];
    private boolean frameOpen;

    /** @param zstd writes to {@code out}, with its frame closed on each flush */
    ZstdStoringNoise(OutputStream out, ZstdOutputStream zstd)
    {
        this.out = out;
        this.zstd = zstd.setCloseFrameOnFlush(true);
    }

    @Override
    public void write(int value)
            throws IOException
    {
        zstd.write(value);
        frameOpen = true;
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        if (length >= MIN_RUN && isNoise(bytes, offset, length)) {
            if (frameOpen) {
                zstd.flush();
                frameOpen = false;
            }
            writeRawFrame(bytes, offset, length);
        }
        else {
            zstd.write(bytes, offset, length);
            frameOpen = true;
        }
    }

    @Override
    public void close()
            throws IOException
    {
        zstd.close();
    }

    static boolean isNoise(byte[] bytes, int offset, int length)
    {
        int[] counts = new int[256];
        int step = (length - SAMPLE) / (SAMPLES - 1);
        for (int sample = 0; sample < SAMPLES; sample++) {
            int start = offset + sample * step;
            for (int i = start; i < start + SAMPLE; i++) {
                counts[bytes[i] & 0xff]++;
            }
        }
        double total = SAMPLES * SAMPLE;
        double bits = 0;
        for (int count : counts) {
            if (count > 0) {
                double share = count / total;
                bits -= share * Math.log(share);
            }
        }
        return bits / Math.log(2) > NOISE_BITS;
    }

    private void writeRawFrame(byte[] bytes, int offset, int length)
            throws IOException
    {
        out.write(RAW_FRAME_HEADER);
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int size = Math.min(RAW_BLOCK, end - at);
            boolean last = at + size == end;
            // block header, little-endian: size << 3 | type (0, raw) << 1 | last block
            int header = size << 3 | (last ? 1 : 0);
            blockHeader[0] = (byte) header;
            blockHeader[1] = (byte) (header >>> 8);
            blockHeader[2] = (byte) (header >>> 16);
            out.write(blockHeader);
            out.write(bytes, at, size);
            at += size;
        }
    }
}
