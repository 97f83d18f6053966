package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import java.util.function.UnaryOperator;

/**
 * OpenPGP public-key encryption of a stream: AES-256 with an integrity packet (SEIPD v1 with MDC, which
 * every GnuPG decrypts), one session key wrapped for each recipient, and a binary literal data packet
 * without OpenPGP compression (the archive is compressed already). The bulk cipher runs through OpenSSL
 * ({@link CfbOutputStream}) or, without it, the JDK's AES; the packets and key wrapping through Bouncy Castle.
 */
public final class OpenPgpEncryption
{
    private static final int BUFFER = 1 << 20;

    private OpenPgpEncryption() {}

    /**
     * OpenSSL's AES when libcrypto is there (about three times as fast, see {@link LibCrypto}), with the
     * MDC's SHA-1 fed through {@code mdcStage}; else the JDK's AES and SHA-1, on the caller's thread.
     */
    static PGPDataEncryptorBuilder dataEncryptor(UnaryOperator<OutputStream> mdcStage)
    {
        SecureRandom random = new SecureRandom();
        return LibCrypto.calls().<PGPDataEncryptorBuilder>map(calls -> new OpenSslDataEncryptorBuilder(calls, random, mdcStage))
                .orElseGet(() -> new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(random));
    }

    /** What computes the bulk cipher on this host, for operators: OpenSSL's libcrypto or, without it, the JDK. */
    public static String cipherEngine()
    {
        return LibCrypto.calls().isPresent() ? "OpenSSL (libcrypto)" : "the JDK (libcrypto.so.3 not found: about a third as fast)";
    }

    /**
     * Closing the returned stream finishes the OpenPGP packets but does not close {@code target}.
     * The two packet layers have a stage of the caller's choosing between them: the literal data
     * packet's framing, a copy of every byte into its partial-length chunks, then runs on the
     * caller's thread, and the stage's thread is left with the encryption alone, the serial part.
     *
     * @param mdcStage wraps the stream that computes the integrity check's SHA-1, e.g. in a hand-off to
     *        a thread of its own so that hashing and encrypting run side by side
     * @param literalStage wraps the encrypted stream before the literal packet goes on top; closing what
     *        it returns must close the stream it was given, which finishes the encrypted packet
     */
    public static OutputStream encrypt(OutputStream target, RecipientKeys recipients, String fileName, UnaryOperator<OutputStream> mdcStage,
            UnaryOperator<OutputStream> literalStage)
            throws IOException
    {
        PGPEncryptedDataGenerator encryptor = new PGPEncryptedDataGenerator(dataEncryptor(mdcStage));
        for (PGPPublicKey key : recipients.keys()) {
            encryptor.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(key));
        }
        OutputStream encrypted;
        try {
            encrypted = encryptor.open(target, new byte[BUFFER]);
        }
        catch (PGPException e) {
            throw new IOException("cannot start OpenPGP encryption to " + recipients.keyIds() + ": " + e.getMessage(), e);
        }
        OutputStream staged = literalStage.apply(encrypted);
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        OutputStream literalOut = literal.open(staged, PGPLiteralData.BINARY, fileName, new Date(), new byte[BUFFER]);
        return new FilterOutputStream(literalOut)
        {
            @Override
            public void write(byte[] bytes, int offset, int length)
                    throws IOException
            {
                out.write(bytes, offset, length);
            }

            @Override
            public void close()
                    throws IOException
            {
                // the literal packet's last chunk, then the stage and the encrypted packet (MDC) behind it
                literal.close();
                staged.close();
            }
        };
    }
}
