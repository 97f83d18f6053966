package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.UnaryOperator;

/**
 * The SHA-1 of OpenPGP's modification detection code, fed through a stage the caller chooses: a
 * hand-off to a thread of its own lets the MDC hash the plaintext while the cipher encrypts it, the two
 * serial halves of writing integrity-protected data. Bouncy Castle writes the MDC packet's header
 * through {@link #getOutputStream()}, then asks {@link #getDigest()}, which finishes the stage first.
 */
final class StagedSha1
        implements PGPDigestCalculator
{
    private final MessageDigest sha1;
    private final OutputStream stage;
    private byte[] digest;

    /** @param stage wraps the stream that updates the digest; closing what it returns must finish all writes */
    StagedSha1(UnaryOperator<OutputStream> stage)
    {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
        this.stage = stage.apply(new OutputStream()
        {
            @Override
            public void write(int value)
            {
                sha1.update((byte) value);
            }

            @Override
            public void write(byte[] bytes, int offset, int length)
            {
                sha1.update(bytes, offset, length);
            }
        });
    }

    @Override
    public int getAlgorithm()
    {
        return HashAlgorithmTags.SHA1;
    }

    @Override
    public OutputStream getOutputStream()
    {
        return stage;
    }

    @Override
    public byte[] getDigest()
    {
        if (digest == null) {
            try {
                stage.close();
            }
            catch (IOException e) {
                throw new UncheckedIOException("hashing the archive for its integrity check failed: " + e.getMessage(), e);
            }
            digest = sha1.digest();
        }
        return digest.clone();
    }

    /** Bouncy Castle resets a calculator only to reuse it; each message gets a fresh one here. */
    @Override
    public void reset()
    {
        throw new IllegalStateException("the MDC of one message is computed once; build a new encryptor for the next");
    }
}
