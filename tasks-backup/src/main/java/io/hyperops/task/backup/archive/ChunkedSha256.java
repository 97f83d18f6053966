package io.hyperops.task.backup.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The checksum of a disk's guest-visible content: the SHA-256 of each 4 MiB chunk (the last one may be
 * shorter), as a list of lower-case hex lines, and the SHA-256 of that list. SHA-256 cannot skip input,
 * so a plain digest of a 20 GiB sparse disk costs hashing 19 GiB of zeros; here a whole chunk of zeros
 * costs nothing, its digest is computed once. The list is what {@code split -b 4M --filter=sha256sum}
 * prints, without the file names, so stock tools can recompute it.
 */
public final class ChunkedSha256
{
    public static final int CHUNK = 4 << 20;
    /** The name suffix of the archive entry holding a disk's chunk list. */
    public static final String LIST_SUFFIX = ".sha256-4m";
    private static final byte[] ZEROS = new byte[1 << 20];
    private static final String ZERO_CHUNK = zeroChunkDigest();

    private final MessageDigest chunk = Sha256.create();
    private final StringBuilder list = new StringBuilder();
    private long inChunk;
    // zeros at the start of the current chunk, fed to the digest only once the chunk turns out not to be all zeros
    private long pendingZeros;
    private boolean onlyZeros = true;

    public void update(byte[] bytes, int offset, int length)
    {
        int at = offset;
        int remaining = length;
        while (remaining > 0) {
            int length1 = (int) Math.min(remaining, CHUNK - inChunk);
            if (onlyZeros && isZero(bytes, at, length1)) {
                pendingZeros += length1;
            }
            else {
                feedPendingZeros();
                onlyZeros = false;
                chunk.update(bytes, at, length1);
            }
            advance(length1);
            at += length1;
            remaining -= length1;
        }
    }

    /** Adds {@code count} zero bytes, which cost nothing when they fill whole chunks. */
    public void zeros(long count)
    {
        long remaining = count;
        while (remaining > 0) {
            long length = Math.min(remaining, CHUNK - inChunk);
            if (onlyZeros) {
                pendingZeros += length;
            }
            else {
                feed(length);
            }
            advance(length);
            remaining -= length;
        }
    }

    /** Ends the last chunk. @return the chunk list, one lower-case hex line per chunk */
    public String list()
    {
        if (inChunk > 0) {
            endChunk();
        }
        return list.toString();
    }

    /** @return the disk's checksum: the SHA-256 of {@link #list()}, lower-case hex */
    public static String digestOfList(String list)
    {
        return Sha256.hex(list.getBytes(StandardCharsets.UTF_8));
    }

    private void advance(long length)
    {
        inChunk += length;
        if (inChunk == CHUNK) {
            endChunk();
        }
    }

    private void endChunk()
    {
        if (onlyZeros && inChunk == CHUNK) {
            list.append(ZERO_CHUNK);
        }
        else {
            feedPendingZeros();
            list.append(HexFormat.of().formatHex(chunk.digest()));
        }
        list.append('\n');
        chunk.reset();
        inChunk = 0;
        pendingZeros = 0;
        onlyZeros = true;
    }

    private void feedPendingZeros()
    {
        feed(pendingZeros);
        pendingZeros = 0;
    }

    private void feed(long zeros)
    {
        long remaining = zeros;
        while (remaining > 0) {
            int length = (int) Math.min(remaining, ZEROS.length);
            chunk.update(ZEROS, 0, length);
            remaining -= length;
        }
    }

    private static boolean isZero(byte[] bytes, int offset, int length)
    {
        for (int at = offset; at < offset + length; at += ZEROS.length) {
            int end = Math.min(offset + length, at + ZEROS.length);
            if (Arrays.mismatch(bytes, at, end, ZEROS, 0, end - at) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String zeroChunkDigest()
    {
        MessageDigest digest = Sha256.create();
        for (int i = 0; i < CHUNK / ZEROS.length; i++) {
            digest.update(ZEROS);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
