package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Noise stored raw, the rest compressed: one zstd stream that stock zstd and zstd-jni decode alike. */
class TestZstdStoringNoise
{
    @Test
    void tellsNoiseFromText()
    {
        byte[] noise = new byte[1 << 20];
        new Random(1).nextBytes(noise);
        byte[] text = text(1 << 20);
        assertThat(ZstdStoringNoise.isNoise(noise, 0, noise.length)).isTrue();
        assertThat(ZstdStoringNoise.isNoise(text, 0, text.length)).isFalse();
        assertThat(ZstdStoringNoise.isNoise(new byte[1 << 20], 0, 1 << 20)).isFalse();
    }

    @Test
    void mixedStreamDecodesWithStockZstdAndZstdJni(@TempDir Path folder)
            throws Exception
    {
        Random random = new Random(2);
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream zstd = Compression.ZSTD.compress(compressed, 3, 1)) {
            // noise and text alternate, in pieces below and above the run size that is checked
            for (int i = 0; i < 24; i++) {
                byte[] piece = i % 3 == 0 ? text(1 + random.nextInt(1 << 20)) : new byte[1 + random.nextInt(1 << 20)];
                if (i % 3 != 0) {
                    random.nextBytes(piece);
                }
                original.write(piece);
                zstd.write(piece);
                if (i == 5) {
                    zstd.write('x');
                    original.write('x');
                }
            }
        }
        byte[] expected = original.toByteArray();
        // noise went in raw: the output is a little larger than the noise, far from twice the input
        assertThat(compressed.size()).isLessThan(expected.length);

        Path file = folder.resolve("mixed.zst");
        Files.write(file, compressed.toByteArray());
        Process unzstd = new ProcessBuilder("zstd", "-d", "-c", file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stock = unzstd.getInputStream().readAllBytes();
        assertThat(unzstd.waitFor()).isZero();
        assertThat(stock).isEqualTo(expected);

        try (InputStream in = Compression.ZSTD.decompress(Files.newInputStream(file))) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    private static byte[] text(int size)
    {
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < size; line++) {
            text.append(line).append(" guest disk line ").append(line * 7919 % 10007).append('\n');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
