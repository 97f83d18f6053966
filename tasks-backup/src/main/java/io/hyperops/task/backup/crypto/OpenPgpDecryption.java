package io.hyperops.task.backup.crypto;

import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens an OpenPGP message encrypted to a public key: ours (no OpenPGP compression) or stock gpg's
 * (compressed with zlib unless {@code -z 0}). Only integrity-protected messages are accepted, and the
 * integrity check runs when the stream reaches its end: a reader that stops early has checked nothing.
 */
public final class OpenPgpDecryption
{
    private OpenPgpDecryption() {}

    /**
     * @return the plaintext; reading it to the end throws {@link IOException} when the integrity check fails
     */
    public static InputStream decrypt(InputStream in, SecretKeys keys)
            throws IOException
    {
        try {
            PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
            Object object = factory.nextObject();
            while (object instanceof PGPMarker) {
                object = factory.nextObject();
            }
            if (!(object instanceof PGPEncryptedDataList list)) {
                throw new IOException("not an OpenPGP encrypted message (first packet: " + (object == null ? "none" : object.getClass().getSimpleName()) + ")");
            }
            List<Long> keyIds = new ArrayList<>();
            List<PGPPublicKeyEncryptedData> candidates = new ArrayList<>();
            Iterator<PGPEncryptedData> iterator = list.getEncryptedDataObjects();
            while (iterator.hasNext()) {
                if (iterator.next() instanceof PGPPublicKeyEncryptedData data) {
                    candidates.add(data);
                    keyIds.add(data.getKeyIdentifier().getKeyId());
                }
            }
            for (PGPPublicKeyEncryptedData data : candidates) {
                Optional<PGPPrivateKey> key = keys.privateKey(List.of(data.getKeyIdentifier().getKeyId()));
                if (key.isPresent()) {
                    if (!data.isIntegrityProtected()) {
                        throw new IOException("the archive is encrypted without integrity protection; hyperops refuses to trust it");
                    }
                    // Bouncy Castle unwraps the session key (it knows every OpenPGP key type); the JDK's AES decrypts the bulk.
                    InputStream clear = data.getDataStream(new FastDecryptorFactory(new JcePublicKeyDataDecryptorFactoryBuilder()
                            .setProvider(new BouncyCastleProvider())
                            .setContentProvider("SunJCE")
                            .build(key.get())));
                    return new Verified(literal(clear), data);
                }
            }
            throw new InvalidKeyFileException("secret key file " + keys.file() + " has none of the archive's recipient keys "
                    + keyIds.stream().map(id -> String.format(Locale.ROOT, "%016X", id)).toList());
        }
        catch (PGPException e) {
            throw new IOException("cannot decrypt the archive: " + e.getMessage(), e);
        }
    }

    private static InputStream literal(InputStream clear)
            throws IOException, PGPException
    {
        Object object = new PGPObjectFactory(clear, new BcKeyFingerprintCalculator()).nextObject();
        if (object instanceof PGPCompressedData compressed) {
            object = new PGPObjectFactory(compressed.getDataStream(), new BcKeyFingerprintCalculator()).nextObject();
        }
        if (object instanceof PGPLiteralData literal) {
            return literal.getDataStream();
        }
        throw new IOException("the encrypted archive holds no literal data packet (found " + (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
    }

    /** Checks the modification detection code once the plaintext has been read to its end. */
    private static final class Verified
            extends CheckedAtEnd
    {
        private final PGPPublicKeyEncryptedData data;

        Verified(InputStream in, PGPPublicKeyEncryptedData data)
        {
            super(in);
            this.data = data;
        }

        @Override
        void checkAtEnd()
                throws IOException
        {
            try {
                if (!data.verify()) {
                    throw new IOException("OpenPGP integrity check failed: the archive was changed or damaged after it was written");
                }
            }
            catch (PGPException e) {
                throw new IOException("OpenPGP integrity check failed: " + e.getMessage(), e);
            }
        }
    }
}
