package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunked checksum against a plain per-chunk SHA-256 of the same bytes, however they arrive. */
final class TestChunkedSha256
{
    private static final int MIB = 1 << 20;

    @Test
    void matchesPlainChunkDigestsWhateverTheSplitAndZeroRuns()
            throws Exception
    {
        // 4 MiB chunks: all zeros, data then zeros, zeros then data, and a short last chunk of zeros
        byte[] content = new byte[14 * MIB + 123];
        Random random = new Random(7);
        fill(random, content, 5 * MIB, 6 * MIB);
        fill(random, content, 11 * MIB + 17, 11 * MIB + 9000);
        String expected = plainList(content);

        for (int seed = 0; seed < 5; seed++) {
            ChunkedSha256 chunks = new ChunkedSha256();
            Random splits = new Random(seed);
            int at = 0;
            while (at < content.length) {
                int length = Math.min(content.length - at, 1 + splits.nextInt(3 * MIB));
                if (allZero(content, at, length) && splits.nextBoolean()) {
                    chunks.zeros(length);
                }
                else {
                    chunks.update(content, at, length);
                }
                at += length;
            }
            String list = chunks.list();
            assertThat(list).as("seed %s", seed).isEqualTo(expected);
            assertThat(ChunkedSha256.digestOfList(list)).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(expected.getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(expected.lines()).hasSize(4);
    }

    private static String plainList(byte[] content)
            throws Exception
    {
        StringBuilder list = new StringBuilder();
        for (int at = 0; at < content.length; at += ChunkedSha256.CHUNK) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(content, at, Math.min(ChunkedSha256.CHUNK, content.length - at));
            list.append(HexFormat.of().formatHex(digest.digest())).append('\n');
        }
        return list.toString();
    }

    private static void fill(Random random, byte[] content, int from, int to)
    {
        for (int i = from; i < to; i++) {
            content[i] = (byte) (1 + random.nextInt(255));
        }
    }

    private static boolean allZero(byte[] content, int from, int length)
    {
        for (int i = from; i < from + length; i++) {
            if (content[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
