package io.hyperops.task.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stock GnuPG in a throwaway home folder, with one key pair generated for the test (passphrase
 * protected), its armored public and secret keys exported to files, and the passphrase in a file.
 */
public final class TestingGpg
        implements AutoCloseable
{
    public static final String PASSPHRASE = "correct horse battery staple";
    public static final String EMAIL = "backup-test@hyperops.invalid";
    private static final String USER = "hyperops backup test <" + EMAIL + ">";

    private final Path home;
    private final Path publicKey;
    private final Path secretKey;
    private final Path passphraseFile;

    private TestingGpg(Path home)
    {
        this.home = home;
        this.publicKey = home.resolve("public.asc");
        this.secretKey = home.resolve("secret.asc");
        this.passphraseFile = home.resolve("passphrase");
    }

    /** A passphrase-protected ed25519 key with a cv25519 encryption subkey (gpg's {@code future-default}). */
    public static TestingGpg generate()
            throws IOException, InterruptedException
    {
        // a short path: gpg-agent's socket lives in the home folder and Unix socket paths are short
        Path home = Files.createTempDirectory(Path.of("/tmp"), "hbk-gpg-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        TestingGpg gpg = new TestingGpg(home);
        gpg.run("--quick-gen-key", USER, "future-default", "default", "never");
        Files.write(gpg.publicKey, gpg.run("--armor", "--export", USER));
        Files.write(gpg.secretKey, gpg.exportSecretKeys());
        Files.writeString(gpg.passphraseFile, PASSPHRASE + "\n");
        return gpg;
    }

    /** The home folder, as an operator's {@code gpg_home}: the test key pair is in its keyring. */
    public Path home()
    {
        return home;
    }

    /** Adds a key pair to the keyring, e.g. usage {@code sign} for a key that cannot encrypt. */
    public void addKey(String user, String usage, String expire)
            throws IOException, InterruptedException
    {
        run("--quick-gen-key", user, "future-default", usage, expire);
    }

    /** Adds a key pair made on 2020-01-01 that expired a day later. */
    public void addExpiredKey(String user)
            throws IOException, InterruptedException
    {
        run("--faked-system-time", "20200101T000000", "--quick-gen-key", user, "future-default", "default", "1d");
    }

    /** Adds a key pair and revokes it with the revocation certificate gpg made for it. */
    public void addRevokedKey(String user, String email)
            throws IOException, InterruptedException
    {
        addKey(user, "default", "never");
        String fingerprint = fingerprint(email);
        // gpg guards the stored certificate against an accidental import with a ':' before its armor line
        String certificate = Files.readString(home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev")).replace(":-----BEGIN", "-----BEGIN");
        Path file = Files.writeString(home.resolve(fingerprint + ".rev.asc"), certificate);
        run("--import", file.toString());
    }

    /** The primary key's fingerprint of the key with this email address. */
    public String fingerprint(String email)
            throws IOException, InterruptedException
    {
        String listing = new String(run("--with-colons", "--list-keys", "<" + email + ">"), StandardCharsets.UTF_8);
        return listing.lines().filter(line -> line.startsWith("fpr:")).map(line -> line.split(":")[9]).findFirst()
                .orElseThrow(() -> new IOException("no key " + email + " in " + home));
    }

    public Path publicKey()
    {
        return publicKey;
    }

    public Path secretKey()
    {
        return secretKey;
    }

    public Path passphraseFile()
    {
        return passphraseFile;
    }

    public void decrypt(Path encrypted, Path plain)
            throws IOException, InterruptedException
    {
        run("--output", plain.toString(), "--decrypt", encrypted.toString());
    }

    /** Encrypts as an operator would by hand: to the test key, with gpg's default compression. */
    public void encrypt(Path plain, Path encrypted)
            throws IOException, InterruptedException
    {
        run("--trust-model", "always", "--recipient", USER, "--output", encrypted.toString(), "--encrypt", plain.toString());
    }

    public byte[] run(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--homedir", home.toString(), "--pinentry-mode", "loopback",
                "--passphrase", PASSPHRASE));
        command.addAll(List.of(arguments));
        Path errors = Files.createTempFile(home, "gpg-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("gpg " + String.join(" ", arguments) + " failed: " + Files.readString(errors).strip());
            }
            return output;
        }
        finally {
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The secret key, armored. The export goes through gpg-agent, which the key generation just
     * started; on a loaded machine it once failed right after (CI, session 5), so a failure is tried
     * again after a pause, twice at most, and the last one is reported with gpg's own words.
     */
    private byte[] exportSecretKeys()
            throws IOException, InterruptedException
    {
        for (int attempt = 1; ; attempt++) {
            try {
                return run("--armor", "--export-secret-keys", USER);
            }
            catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
