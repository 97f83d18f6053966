package io.hyperops.task.backup.crypto;

import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPKeyGenerator;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * A throwaway OpenPGP key (Ed25519 primary, X25519 encryption subkey) written as armored files and
 * read back through the same loaders as the configured keys, for the backup self-test. It never
 * leaves the self-test's scratch folder, which is deleted afterwards.
 */
public record EphemeralKey(RecipientKeys recipients, DecryptionKeys decryption)
{
    public static EphemeralKey create(Path folder)
            throws IOException
    {
        OpenPGPKey key;
        try {
            key = new OpenPGPKeyGenerator(new BcOpenPGPImplementation(), PublicKeyPacket.VERSION_4, false, new Date())
                    .ed25519x25519Key("hyperops backup self-test")
                    .build();
        }
        catch (PGPException e) {
            throw new IOException("cannot generate an OpenPGP key: " + e.getMessage(), e);
        }
        Path publicFile = folder.resolve("self-test-public.asc");
        Path secretFile = folder.resolve("self-test-secret.asc");
        Files.writeString(publicFile, key.toCertificate().toAsciiArmoredString());
        Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secretFile, key.toAsciiArmoredString());
        return new EphemeralKey(RecipientKeys.load(publicFile, Instant.now()), SecretKeys.load(secretFile, Optional.empty()));
    }
}
