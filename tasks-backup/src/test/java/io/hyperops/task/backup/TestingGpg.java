package io.hyperops.task.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    // how gpg reports that it could not start or reach gpg-agent in time, as happens on a loaded machine
    private static final List<String> AGENT_NOT_UP = List.of("can't connect to the agent", "failed to start agent", "No agent running");
    private static final int ATTEMPTS = 3;

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
        // started once up front rather than by whichever gpg call comes first; run() still tries again if it is not up
        gpg.launchAgent();
        gpg.run("--quick-gen-key", USER, "future-default", "default", "never");
        Files.write(gpg.publicKey, gpg.run("--armor", "--export", USER));
        Files.write(gpg.secretKey, gpg.run("--armor", "--export-secret-keys", USER));
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

    /**
     * Runs gpg. A call that failed because gpg-agent was not up (on a loaded machine, CI session 5) is tried again,
     * after the agent is launched and answers, twice at most; the last failure is reported with gpg's own words.
     */
    public byte[] run(String... arguments)
            throws IOException, InterruptedException
    {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(arguments);
            }
            catch (IOException e) {
                if (attempt == ATTEMPTS || AGENT_NOT_UP.stream().noneMatch(String.valueOf(e.getMessage())::contains)) {
                    throw e;
                }
                launchAgent();
            }
        }
    }

    private byte[] runOnce(String... arguments)
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
     * Starts this home's gpg-agent if it is not running and returns once it answers (gpgconf runs gpg-connect-agent,
     * which waits for it). A failure here is left to the gpg call that needs the agent, which reports it.
     */
    private void launchAgent()
            throws IOException, InterruptedException
    {
        Process launch = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--launch", "gpg-agent").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!launch.waitFor(120, TimeUnit.SECONDS)) {
            launch.destroyForcibly();
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
        // --kill can return before the agent has exited and removed its sockets: rm -rf takes files that vanish meanwhile in its stride
        try {
            new ProcessBuilder("rm", "-rf", home.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
