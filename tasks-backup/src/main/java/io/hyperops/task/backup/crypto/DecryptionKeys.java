package io.hyperops.task.backup.crypto;

import java.io.IOException;
import java.io.InputStream;

/**
 * What opens an encrypted archive for verify and restore: an armored secret key file read by Bouncy
 * Castle, or a GnuPG home whose secret keys only its own gpg-agent can use.
 */
public sealed interface DecryptionKeys
        permits SecretKeys, GnupgDecryption
{
    /**
     * @return the plaintext; reading it to the end throws {@link IOException} when the integrity check fails
     */
    InputStream decrypt(InputStream encrypted)
            throws IOException;
}
