package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.AEADEncDataPacket;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.InputStreamPacket;
import org.bouncycastle.bcpg.PublicKeyEncSessionPacket;
import org.bouncycastle.bcpg.SymmetricEncIntegrityPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.PublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;

import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Bouncy Castle's session key recovery with a faster bulk decryption for what the archives use:
 * integrity-protected AES in CFB mode ({@link CfbInputStream}). Anything else (other ciphers, AEAD
 * packets of other OpenPGP implementations) goes to Bouncy Castle's own decryptor.
 */
final class FastDecryptorFactory
        implements PublicKeyDataDecryptorFactory
{
    private static final Set<Integer> AES = Set.of(SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_256);
    private static final int BLOCK = 16;

    private final PublicKeyDataDecryptorFactory delegate;

    FastDecryptorFactory(PublicKeyDataDecryptorFactory delegate)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public byte[] recoverSessionData(PublicKeyEncSessionPacket packet, InputStreamPacket encData)
            throws PGPException
    {
        return delegate.recoverSessionData(packet, encData);
    }

    // deprecated in the interface, but part of it: passed on like the rest
    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public byte[] recoverSessionData(int keyAlgorithm, byte[][] secKeyData)
            throws PGPException
    {
        return delegate.recoverSessionData(keyAlgorithm, secKeyData);
    }

    // deprecated in the interface, but part of it: passed on like the rest
    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public byte[] recoverSessionData(int keyAlgorithm, byte[][] secKeyData, int pkeskVersion)
            throws PGPException
    {
        return delegate.recoverSessionData(keyAlgorithm, secKeyData, pkeskVersion);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrityPacket, int encAlgorithm, byte[] key)
            throws PGPException
    {
        if (!withIntegrityPacket || !AES.contains(encAlgorithm)) {
            return delegate.createDataDecryptor(withIntegrityPacket, encAlgorithm, key);
        }
        byte[] sessionKey = key.clone();
        PGPDigestCalculator mdc = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
        return new PGPDataDecryptor()
        {
            @Override
            public InputStream getInputStream(InputStream in)
            {
                try {
                    return new CfbInputStream(in, sessionKey);
                }
                catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK refused an AES key: " + e.getMessage(), e);
                }
            }

            @Override
            public int getBlockSize()
            {
                return BLOCK;
            }

            @Override
            public PGPDigestCalculator getIntegrityCalculator()
            {
                return mdc;
            }
        };
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket packet, PGPSessionKey sessionKey)
            throws PGPException
    {
        return delegate.createDataDecryptor(packet, sessionKey);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket packet, PGPSessionKey sessionKey)
            throws PGPException
    {
        return delegate.createDataDecryptor(packet, sessionKey);
    }
}
