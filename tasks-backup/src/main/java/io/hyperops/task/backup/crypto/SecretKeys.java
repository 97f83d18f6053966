package io.hyperops.task.backup.crypto;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Armored OpenPGP secret keys and their passphrase, for verify and restore of encrypted archives. */
public final class SecretKeys
        implements DecryptionKeys
{
    private final Path file;
    private final PGPSecretKeyRingCollection rings;
    private final char[] passphrase;

    private SecretKeys(Path file, PGPSecretKeyRingCollection rings, char[] passphrase)
    {
        this.file = requireNonNull(file, "file is null");
        this.rings = requireNonNull(rings, "rings is null");
        this.passphrase = requireNonNull(passphrase, "passphrase is null");
    }

    /** @param passphraseFile its first line is the passphrase; none means an unprotected key */
    public static SecretKeys load(Path file, Optional<Path> passphraseFile)
    {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
            return new SecretKeys(file, rings, passphrase(passphraseFile));
        }
        catch (NoSuchFileException e) {
            throw new InvalidKeyFileException("secret key file " + file + " does not exist; export it with 'gpg --armor --export-secret-keys KEY > " + file + "'", e);
        }
        catch (IOException | PGPException | RuntimeException e) {
            throw new InvalidKeyFileException("secret key file " + file + " holds no OpenPGP secret keys (" + e.getMessage()
                    + "); export it with 'gpg --armor --export-secret-keys KEY > " + file + "'", e);
        }
    }

    @Override
    public InputStream decrypt(InputStream encrypted)
            throws IOException
    {
        return OpenPgpDecryption.decrypt(encrypted, this);
    }

    /** The private key for one of the archive's recipients, or empty when this file has none of them. */
    Optional<PGPPrivateKey> privateKey(List<Long> keyIds)
    {
        for (long keyId : keyIds) {
            PGPSecretKey secretKey = rings.getSecretKey(keyId);
            if (secretKey == null) {
                continue;
            }
            try {
                return Optional.of(secretKey.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase)));
            }
            catch (PGPException e) {
                throw new InvalidKeyFileException("the passphrase does not unlock secret key " + String.format("%016X", keyId) + " in " + file
                        + " (" + e.getMessage() + "); check passphrase_file", e);
            }
        }
        return Optional.empty();
    }

    Path file()
    {
        return file;
    }

    private static char[] passphrase(Optional<Path> passphraseFile)
            throws IOException
    {
        if (passphraseFile.isEmpty()) {
            return new char[0];
        }
        String text = Files.readString(passphraseFile.get(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).toCharArray();
    }
}
