package io.hyperops.task.backup;

import io.hyperops.task.backup.crypto.GnupgDecryption;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recipients named in a GnuPG keyring made by stock gpg: found by email, key id or fingerprint, added to
 * those of recipient_key_file, and every unusable one refused by the settings record, so by
 * {@code hyperops config check}, before any backup starts.
 */
final class TestGnupgRecipients
{
    private static TestingGpg gpg;

    @TempDir
    Path folder;

    @BeforeAll
    static void generateKeys()
            throws IOException, InterruptedException
    {
        gpg = TestingGpg.generate();
        gpg.addKey("signing only <signer@hyperops.invalid>", "sign", "never");
        gpg.addExpiredKey("expired <expired@hyperops.invalid>");
        gpg.addRevokedKey("revoked <revoked@hyperops.invalid>", "revoked@hyperops.invalid");
        gpg.addKey("other <devops-" + TestingGpg.EMAIL + ">", "default", "never");
    }

    @AfterAll
    static void removeKeys()
            throws IOException
    {
        gpg.close();
    }

    @Test
    void aRecipientIsFoundByEmailKeyIdOrFingerprint()
            throws Exception
    {
        String fingerprint = gpg.fingerprint(TestingGpg.EMAIL);
        List<String> expected = RecipientKeys.load(gpg.publicKey(), Instant.now()).keyIds();

        for (String name : List.of(TestingGpg.EMAIL, fingerprint, fingerprint.substring(24))) {
            assertThat(settings(null, List.of(name)).recipients(Instant.now()).orElseThrow().keyIds()).as(name).isEqualTo(expected);
        }
    }

    @Test
    void anEmailMatchesWholeAddressesOnly()
    {
        // the keyring also holds devops-backup-test@...: encrypting to it as well would add a recipient nobody named
        assertThat(settings(null, List.of(TestingGpg.EMAIL)).recipients(Instant.now()).orElseThrow().keys()).hasSize(1);
    }

    @Test
    void aKeyFileAndAKeyringTogetherGiveEveryRecipient()
            throws Exception
    {
        gpg.run("--armor", "--output", folder.resolve("other.asc").toString(), "--export", "<devops-" + TestingGpg.EMAIL + ">");

        RecipientKeys keys = settings(folder.resolve("other.asc"), List.of(TestingGpg.EMAIL)).recipients(Instant.now()).orElseThrow();

        assertThat(keys.keys()).hasSize(2);
    }

    @Test
    void unusableRecipientsAreRefusedWhenTheSettingsAreRead()
    {
        assertThatThrownBy(() -> settings(null, List.of("nobody@hyperops.invalid")))
                .hasMessageContaining("gpg_recipients: no public key 'nobody@hyperops.invalid' in gpg_home " + gpg.home())
                .hasMessageContaining("--import");
        for (String unusable : List.of("signer@hyperops.invalid", "expired@hyperops.invalid", "revoked@hyperops.invalid")) {
            assertThatThrownBy(() -> settings(null, List.of(TestingGpg.EMAIL, unusable))).as(unusable)
                    .hasMessageContaining("gpg_recipients: key '" + unusable + "'")
                    .hasMessageContaining("has no valid encryption key (revoked, expired or signing only)");
        }
    }

    @Test
    void aMissingGpgHomeIsRefusedWhenTheSettingsAreRead()
    {
        Path missing = folder.resolve("no-such-gnupg");

        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "encrypt", true, "gpgHome", missing, "gpgRecipients", List.of(TestingGpg.EMAIL)))
                .hasMessageContaining("gpg_home " + missing + " is not a folder");
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "encrypt", true, "gpgRecipients", List.of(TestingGpg.EMAIL)))
                .hasMessageContaining("gpg_recipients is set but gpg_home is not");
    }

    @Test
    void decryptionUsesTheSecretKeyFileFirstAndGpgHomeWithoutIt()
    {
        BackupSettings withFile = TestingSettings.of(BackupSettings.class, "encrypt", true, "gpgHome", gpg.home(), "gpgRecipients", List.of(TestingGpg.EMAIL), "secretKeyFile", gpg.secretKey(), "passphraseFile", gpg.passphraseFile());
        BackupSettings withHome = settings(null, List.of(TestingGpg.EMAIL));

        assertThat(withFile.decryptionKeys()).containsInstanceOf(SecretKeys.class);
        assertThat(withHome.decryptionKeys()).containsInstanceOf(GnupgDecryption.class);
        assertThat(BackupSettings.defaults().decryptionKeys()).isEmpty();
    }

    private static BackupSettings settings(Path keyFile, List<String> recipients)
    {
        return TestingSettings.of(BackupSettings.class, "encrypt", true, "recipientKeyFile", keyFile, "gpgHome", gpg.home(), "gpgRecipients", recipients, "passphraseFile", gpg.passphraseFile());
    }
}
