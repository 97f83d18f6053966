package io.hyperops.task.backup.crypto;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A GnuPG home folder as a source of recipients, read by asking stock {@code gpg --export}. Not Bouncy
 * Castle's keybox reader: GnuPG keeps public keys in {@code pubring.kbx}, in {@code pubring.gpg} in
 * homes made before 2.1, and in {@code pubring.db} with 2.4's keyboxd, and gpg alone reads all three;
 * it also resolves a recipient the way the seed's {@code gpg -r GPG_RECIPIENT} did. Whether the key it
 * returns may encrypt (revoked, expired, signing only) is then judged here, as for a key file.
 */
public final class GnupgHome
{
    private static final long TIMEOUT_SECONDS = 60;

    private final Path home;

    private GnupgHome(Path home)
    {
        this.home = requireNonNull(home, "home is null");
    }

    /** @throws InvalidKeyFileException when the folder does not exist */
    public static GnupgHome of(Path home)
    {
        if (!Files.isDirectory(home)) {
            throw new InvalidKeyFileException("gpg_home " + home + " is not a folder; set gpg_home to the GnuPG home that holds the keys "
                    + "(the one 'gpg --homedir FOLDER --list-keys' shows them in), or leave it out and use recipient_key_file");
        }
        return new GnupgHome(home);
    }

    public Path home()
    {
        return home;
    }

    /**
     * The encryption key of each named recipient: a fingerprint, a key id, or an email address (matched
     * whole, not as part of a longer address).
     *
     * @throws InvalidKeyFileException naming the recipient, the home and the fix
     */
    public RecipientKeys recipients(List<String> names, Instant now)
    {
        List<PGPPublicKey> keys = new ArrayList<>();
        for (String name : names) {
            List<PGPPublicKeyRing> certificates = export(name);
            if (certificates.isEmpty()) {
                throw new InvalidKeyFileException("gpg_recipients: no public key '" + name + "' in gpg_home " + home + "; import it with 'gpg --homedir "
                        + home + " --import KEY.asc' or correct the name (a fingerprint, a key id or an email address)");
            }
            Optional<PGPPublicKey> key = certificates.stream().map(ring -> RecipientKeys.encryptionKey(ring, now)).flatMap(Optional::stream).findFirst();
            keys.add(key.orElseThrow(() -> new InvalidKeyFileException("gpg_recipients: key '" + name + "' (" + RecipientKeys.keyId(certificates.get(0).getPublicKey())
                    + ") in gpg_home " + home + " has no valid encryption key (revoked, expired or signing only); add an encryption subkey with "
                    + "'gpg --homedir " + home + " --quick-add-key FINGERPRINT default encr', extend it with --quick-set-expire, or name another key")));
        }
        return new RecipientKeys(keys);
    }

    private List<PGPPublicKeyRing> export(String name)
    {
        // '<...>' makes gpg match the whole address: 'ops@example.org' alone would also match 'devops@example.org'
        String query = name.contains("@") && !name.startsWith("<") ? "<" + name + ">" : name;
        byte[] exported = run(List.of("--quiet", "--export", "--", query), "export the public key of '" + name + "'");
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try {
            Iterator<PGPPublicKeyRing> iterator = new PGPPublicKeyRingCollection(new ByteArrayInputStream(exported), new BcKeyFingerprintCalculator()).getKeyRings();
            iterator.forEachRemaining(rings::add);
        }
        catch (IOException | PGPException e) {
            throw new InvalidKeyFileException("gpg --homedir " + home + " --export '" + name + "' gave no OpenPGP keys Bouncy Castle reads (" + e.getMessage() + ")", e);
        }
        return rings;
    }

    /** The gpg command line for this home, batch mode, no terminal. */
    List<String> command(List<String> arguments)
    {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty"));
        command.addAll(arguments);
        return command;
    }

    private byte[] run(List<String> arguments, String what)
    {
        try {
            Path errors = Files.createTempFile("hyperops-gpg-", ".err");
            try {
                Process process = new ProcessBuilder(command(arguments)).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectError(errors.toFile()).start();
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new InvalidKeyFileException("gpg --homedir " + home + " did not " + what + " within " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new InvalidKeyFileException("gpg --homedir " + home + " could not " + what + " (exit " + process.exitValue() + "): "
                            + Files.readString(errors, StandardCharsets.UTF_8).strip());
                }
                return output;
            }
            finally {
                Files.deleteIfExists(errors);
            }
        }
        catch (IOException e) {
            throw new InvalidKeyFileException("cannot run gpg to " + what + " from gpg_home " + home + " (" + e.getMessage() + "); install GnuPG (gnupg) "
                    + "or use recipient_key_file instead", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidKeyFileException("interrupted while gpg was asked to " + what, e);
        }
    }
}
