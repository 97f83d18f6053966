package io.hyperops.task.backup.archive;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The checksum of a disk's content as the archive's format version defines it, for reading back:
 * version 2 and later the {@link ChunkedSha256}, version 1 a plain SHA-256 of the full content (so
 * archives written before the change still verify and restore).
 */
public final class DiskChecksum
{
    private final ChunkedSha256 chunked;
    private final MessageDigest plain;

    private DiskChecksum(ChunkedSha256 chunked, MessageDigest plain)
    {
        this.chunked = chunked;
        this.plain = plain;
    }

    public static DiskChecksum forFormat(int formatVersion)
    {
        return formatVersion >= 2 ? new DiskChecksum(new ChunkedSha256(), null) : new DiskChecksum(null, Sha256.create());
    }

    public void update(byte[] bytes, int offset, int length)
    {
        if (chunked != null) {
            chunked.update(bytes, offset, length);
        }
        else {
            plain.update(bytes, offset, length);
        }
    }

    /** @return the checksum, lower-case hex */
    public String result()
    {
        return chunked != null ? ChunkedSha256.digestOfList(chunked.list()) : HexFormat.of().formatHex(plain.digest());
    }
}
