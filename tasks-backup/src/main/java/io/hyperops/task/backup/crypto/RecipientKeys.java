package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The encryption keys of every recipient, one per recipient, from an armored key file, a GnuPG keyring, or both. */
public record RecipientKeys(List<PGPPublicKey> keys)
{
    public RecipientKeys
    {
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
    }

    /** Every recipient of both: each gets the session key. */
    public RecipientKeys and(RecipientKeys other)
    {
        List<PGPPublicKey> all = new ArrayList<>(keys);
        other.keys.stream().filter(key -> all.stream().noneMatch(known -> known.getKeyID() == key.getKeyID())).forEach(all::add);
        return new RecipientKeys(all);
    }

    /**
     * Loads the file; every certificate in it must have a usable encryption key.
     *
     * @throws InvalidKeyFileException with a message that names the file and the fix
     */
    public static RecipientKeys load(Path file, Instant now)
    {
        PGPPublicKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
        }
        catch (NoSuchFileException e) {
            throw new InvalidKeyFileException("recipient_key_file " + file + " does not exist; export the recipients' public keys with "
                    + "'gpg --armor --export KEY > " + file + "'", e);
        }
        catch (AccessDeniedException e) {
            throw new InvalidKeyFileException("recipient_key_file " + file + " cannot be read by this user; make it readable (chmod 644, it holds public keys only)", e);
        }
        catch (IOException | PGPException | RuntimeException e) {
            throw new InvalidKeyFileException("recipient_key_file " + file + " holds no OpenPGP public keys (" + e.getMessage()
                    + "); export them with 'gpg --armor --export KEY > " + file + "'", e);
        }
        List<PGPPublicKey> keys = new ArrayList<>();
        Iterator<PGPPublicKeyRing> iterator = rings.getKeyRings();
        while (iterator.hasNext()) {
            PGPPublicKeyRing ring = iterator.next();
            keys.add(encryptionKey(ring, now).orElseThrow(() -> new InvalidKeyFileException("recipient_key_file " + file + ": key "
                    + keyId(ring.getPublicKey()) + " has no valid encryption key (revoked, expired or signing only); add an encryption subkey with "
                    + "'gpg --quick-add-key FINGERPRINT default encr' and export again")));
        }
        if (keys.isEmpty()) {
            throw new InvalidKeyFileException("recipient_key_file " + file + " holds no OpenPGP public keys; export them with 'gpg --armor --export KEY > " + file + "'");
        }
        return new RecipientKeys(keys);
    }

    public List<String> keyIds()
    {
        return keys.stream().map(RecipientKeys::keyId).toList();
    }

    public static String keyId(PGPPublicKey key)
    {
        return String.format(Locale.ROOT, "%016X", key.getKeyID());
    }

    /** The newest key of a certificate that may encrypt: by its key flags where it has them, by its algorithm otherwise. */
    static Optional<PGPPublicKey> encryptionKey(PGPPublicKeyRing ring, Instant now)
    {
        // a revoked or expired primary key takes its subkeys with it, as in gpg
        if (ring.getPublicKey().hasRevocation() || expired(ring.getPublicKey(), now)) {
            return Optional.empty();
        }
        PGPPublicKey best = null;
        Iterator<PGPPublicKey> keys = ring.getPublicKeys();
        while (keys.hasNext()) {
            PGPPublicKey key = keys.next();
            if (!key.isEncryptionKey() || key.hasRevocation() || expired(key, now) || !flaggedForEncryption(key)) {
                continue;
            }
            if (best == null || key.getCreationTime().after(best.getCreationTime())) {
                best = key;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean expired(PGPPublicKey key, Instant now)
    {
        long validSeconds = key.getValidSeconds();
        return validSeconds > 0 && key.getCreationTime().toInstant().plusSeconds(validSeconds).isBefore(now);
    }

    private static boolean flaggedForEncryption(PGPPublicKey key)
    {
        int type = key.isMasterKey() ? PGPSignature.POSITIVE_CERTIFICATION : PGPSignature.SUBKEY_BINDING;
        Iterator<PGPSignature> signatures = key.isMasterKey() ? key.getSignatures() : key.getSignaturesOfType(type);
        boolean anyFlags = false;
        while (signatures.hasNext()) {
            PGPSignature signature = signatures.next();
            if (signature.getHashedSubPackets() == null || signature.getHashedSubPackets().getKeyFlags() == 0) {
                continue;
            }
            anyFlags = true;
            if ((signature.getHashedSubPackets().getKeyFlags() & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0) {
                return true;
            }
        }
        return !anyFlags;
    }
}
