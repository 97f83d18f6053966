package io.hyperops.task.backup.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which every Java runtime must offer. */
final class Sha256
{
    private Sha256() {}

    static MessageDigest create()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime offers no SHA-256", e);
        }
    }

    static String hex(byte[] content)
    {
        return HexFormat.of().formatHex(create().digest(content));
    }
}
