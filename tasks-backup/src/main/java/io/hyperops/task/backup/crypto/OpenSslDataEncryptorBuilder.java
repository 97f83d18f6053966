package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Bouncy Castle's OpenPGP packets around an AES-256-CFB cipher computed by OpenSSL
 * ({@link CfbOutputStream}), for integrity-protected data (SEIPD version 1, whose MDC is SHA-1 through
 * the JDK, in a stage of the caller's choosing: {@link StagedSha1}). Only what the archives use: no AEAD, always the integrity packet.
 */
final class OpenSslDataEncryptorBuilder
        implements PGPDataEncryptorBuilder
{
    private static final int BLOCK = 16;

    private final LibCrypto.Calls calls;
    private final SecureRandom random;
    private final UnaryOperator<OutputStream> mdcStage;

    OpenSslDataEncryptorBuilder(LibCrypto.Calls calls, SecureRandom random, UnaryOperator<OutputStream> mdcStage)
    {
        this.calls = requireNonNull(calls, "calls is null");
        this.random = requireNonNull(random, "random is null");
        this.mdcStage = requireNonNull(mdcStage, "mdcStage is null");
    }

    @Override
    public int getAlgorithm()
    {
        return SymmetricKeyAlgorithmTags.AES_256;
    }

    @Override
    public int getAeadAlgorithm()
    {
        // Bouncy Castle's "no AEAD"
        return -1;
    }

    @Override
    public int getChunkSize()
    {
        return 0;
    }

    @Override
    public boolean isV5StyleAEAD()
    {
        return false;
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes)
            throws PGPException
    {
        if (keyBytes.length != 32) {
            throw new PGPException("AES-256 needs a 32-byte session key, got " + keyBytes.length);
        }
        byte[] key = keyBytes.clone();
        PGPDigestCalculator mdc = new StagedSha1(mdcStage);
        return new PGPDataEncryptor()
        {
            @Override
            public OutputStream getOutputStream(OutputStream out)
            {
                try {
                    return new CfbOutputStream(out, calls, key);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public PGPDigestCalculator getIntegrityCalculator()
            {
                return mdc;
            }

            @Override
            public int getBlockSize()
            {
                return BLOCK;
            }
        };
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes, byte[] ivOrSalt)
            throws PGPException
    {
        throw new PGPException("AEAD encryption is not used for archives");
    }

    @Override
    public SecureRandom getSecureRandom()
    {
        return random;
    }

    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket)
    {
        if (!withIntegrityPacket) {
            throw new IllegalArgumentException("archives are always integrity-protected");
        }
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize)
    {
        throw new IllegalArgumentException("AEAD encryption is not used for archives: GnuPG 2.2 cannot read it");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD()
    {
        throw new IllegalArgumentException("AEAD encryption is not used for archives: GnuPG 2.2 cannot read it");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD()
    {
        throw new IllegalArgumentException("AEAD encryption is not used for archives: GnuPG 2.2 cannot read it");
    }
}
