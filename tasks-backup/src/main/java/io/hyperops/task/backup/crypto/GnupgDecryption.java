package io.hyperops.task.backup.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Decryption by stock {@code gpg --decrypt} with a GnuPG home. GnuPG 2.1 and later keep secret keys in
 * {@code private-keys-v1.d} in a format only gpg-agent uses (and may keep them on a smartcard), so the
 * one honest way to use them is to let gpg decrypt; Bouncy Castle then never sees the key. gpg refuses
 * messages without integrity protection and reports a failed MDC by its exit code, which is checked
 * when the plaintext ends, as {@link OpenPgpDecryption} checks its own; its status lines must show
 * {@code DECRYPTION_OKAY}, so a file that was never encrypted is not taken for one.
 */
public final class GnupgDecryption
        implements DecryptionKeys
{
    private final GnupgHome home;
    private final Optional<Path> passphraseFile;

    public GnupgDecryption(GnupgHome home, Optional<Path> passphraseFile)
    {
        this.home = requireNonNull(home, "home is null");
        this.passphraseFile = requireNonNull(passphraseFile, "passphraseFile is null");
    }

    @Override
    public InputStream decrypt(InputStream encrypted)
            throws IOException
    {
        List<String> arguments = new ArrayList<>(List.of("--status-fd", "2", "--pinentry-mode", "loopback"));
        passphraseFile.ifPresent(file -> arguments.addAll(List.of("--passphrase-file", file.toString())));
        arguments.add("--decrypt");
        Path errors = Files.createTempFile("hyperops-gpg-", ".err");
        Process process;
        try {
            process = new ProcessBuilder(home.command(arguments)).redirectError(errors.toFile()).start();
        }
        catch (IOException e) {
            Files.deleteIfExists(errors);
            throw new IOException("cannot run gpg to decrypt with gpg_home " + home.home() + " (" + e.getMessage() + "); install GnuPG (gnupg) or set secret_key_file", e);
        }
        Thread feeder = new Thread(() -> feed(encrypted, process.getOutputStream()), "gpg-decrypt-input");
        feeder.setDaemon(true);
        feeder.start();
        return new Plaintext(process, feeder, errors);
    }

    // A failure here (gpg stopped reading) shows as gpg's exit code, which the reader checks.
    private static void feed(InputStream encrypted, OutputStream toGpg)
    {
        try (OutputStream out = toGpg) {
            encrypted.transferTo(out);
        }
        catch (IOException e) {
            // gpg exited early; its exit code and messages say why
        }
    }

    private final class Plaintext
            extends CheckedAtEnd
    {
        private final Process process;
        private final Thread feeder;
        private final Path errors;

        Plaintext(Process process, Thread feeder, Path errors)
        {
            super(process.getInputStream());
            this.process = process;
            this.feeder = feeder;
            this.errors = errors;
        }

        @Override
        public void close()
                throws IOException
        {
            try {
                super.close();
            }
            finally {
                process.destroy();
                feeder.interrupt();
                Files.deleteIfExists(errors);
            }
        }

        @Override
        void checkAtEnd()
                throws IOException
        {
            int exit;
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IOException("gpg --decrypt did not finish after the end of its output");
                }
                exit = process.exitValue();
                feeder.join(TimeUnit.SECONDS.toMillis(60));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for gpg --decrypt", e);
            }
            String messages = Files.readString(errors, StandardCharsets.UTF_8);
            if (messages.contains("[GNUPG:] NO_SECKEY") && !messages.contains("[GNUPG:] DECRYPTION_OKAY")) {
                throw new InvalidKeyFileException("gpg_home " + home.home() + " holds no secret key for the archive's recipients (" + statusLines(messages, "NO_SECKEY")
                        + "); import it with 'gpg --homedir " + home.home() + " --import SECRET.asc' or set secret_key_file");
            }
            if (messages.contains("[GNUPG:] BAD_PASSPHRASE") || messages.contains("[GNUPG:] MISSING_PASSPHRASE")) {
                throw new InvalidKeyFileException("gpg could not unlock the secret key in gpg_home " + home.home() + " ("
                        + statusLines(messages, "BAD_PASSPHRASE") + statusLines(messages, "MISSING_PASSPHRASE") + "); check passphrase_file");
            }
            if (exit != 0 || !messages.contains("[GNUPG:] DECRYPTION_OKAY")) {
                throw new IOException("gpg --homedir " + home.home() + " --decrypt failed (exit " + exit + "): " + plainLines(messages));
            }
        }
    }

    private static String statusLines(String messages, String keyword)
    {
        return messages.lines().filter(line -> line.startsWith("[GNUPG:] " + keyword)).map(line -> line.substring("[GNUPG:] ".length()))
                .reduce((first, second) -> first + ", " + second).orElse("");
    }

    // gpg's own words, without its machine-readable status lines
    private static String plainLines(String messages)
    {
        return messages.lines().filter(line -> !line.startsWith("[GNUPG:]")).map(String::strip).reduce((first, second) -> first + "; " + second)
                .orElse("no message; the file may not be an OpenPGP encrypted message");
    }
}
