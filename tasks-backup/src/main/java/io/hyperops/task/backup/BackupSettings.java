package io.hyperops.task.backup;

import io.hyperops.spi.Description;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.crypto.GnupgDecryption;
import io.hyperops.task.backup.crypto.GnupgHome;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import io.hyperops.task.backup.retention.RetentionPolicy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the {@code backup} job, also read by {@code backup-verify} and the {@code hyperops backup}
 * command; a component left out of the config file takes its default.
 */
@Description("Backs up guests into one streamed, compressed and optionally OpenPGP-encrypted archive per guest and run, under <backup_dir>/<vm>/<YYYYmmdd-HHMMSS>/.")
public record BackupSettings(
        @Description("Where backups go; relative paths are under the data folder. Default backups (the seed's /var/lib/hypervisor/backups).")
        Path backupDir,
        @Description("Which guests the scheduled job backs up: all, running or stopped, or a list of names. Default all.")
        List<String> guests,
        @Description("Compression inside the archive: zstd (default), gzip or none.")
        String compression,
        @Description("Compression level: zstd 1 to 19 (default 3), gzip 1 to 9 (default 6).")
        Integer compressionLevel,
        @Description("zstd threads; 0 (default) means one per CPU; 1 runs zstd single-threaded, still in a pipeline stage of its own beside reading and encrypting.")
        Integer compressionWorkers,
        @Description("I/O priority of the threads that read the disks and write the archive: idle, best-effort:0 to best-effort:7 (7 is the lowest), or none to keep the engine's. "
                + "Default best-effort:7: below every other best-effort reader, yet never starved the way idle is on a busy host. BFQ honours class and level, mq-deadline the class only, none and kyber neither.")
        String ioPriority,
        @Description("Most MiB per second of disk data a backup reads and a restore writes (holes are neither read nor written and do not count); 0 (default) means no limit.")
        Integer bandwidthLimit,
        @Description("Encrypt archives with OpenPGP to the public keys in recipient_key_file and to gpg_recipients. Default false (the seed's ENCRYPT_BACKUPS).")
        Boolean encrypt,
        @Description("Armored OpenPGP public keys (one or more recipients), e.g. exported with 'gpg --armor --export KEY'. Required when encrypt is true unless gpg_recipients is set; read when the config is loaded and again at every backup, so a missing, unreadable or unusable key is reported before any backup starts.")
        Path recipientKeyFile,
        @Description("A GnuPG home folder (e.g. /root/.gnupg) holding the public keys of gpg_recipients and, for verify and restore without secret_key_file, the secret key, "
                + "used through the stock gpg command. Optional; must exist when set.")
        Path gpgHome,
        @Description("Recipients in gpg_home, like the seed's GPG_RECIPIENT: fingerprints, key ids or email addresses (matched whole). Each needs a valid encryption key; "
                + "every recipient here and in recipient_key_file gets the session key. Optional; needs gpg_home.")
        List<String> gpgRecipients,
        @Description("Armored OpenPGP secret key used by verify and restore of encrypted archives; optional. Without it, gpg_home (when set) decrypts through gpg.")
        Path secretKeyFile,
        @Description("File holding the secret key's passphrase (first line); optional, an empty passphrase when left out.")
        Path passphraseFile,
        @Description("Verify each new archive by reading it back before pruning older ones. Pruning runs only after a verified backup: with false (or an encrypted archive and no key to read it) nothing is pruned. Default true (the seed's VERIFY_BACKUPS).")
        Boolean verifyAfterBackup,
        @Description("Verify also restores each qcow2 disk to a sparse scratch image beside the backup and runs 'qemu-img check' on it, then deletes it; "
                + "a verify refuses to start when the scratch image (up to twice the disk's data) does not fit. Default true; false saves that time and space.")
        Boolean verifyQemuImgCheck,
        @Description("Delete backups older than this many days; 0 turns the rule off. Default 30 (the seed's RETENTION_DAYS).")
        Integer retentionDays,
        @Description("Keep at most this many backups per guest; 0 turns the rule off. Default 5 (the seed's MAX_BACKUPS_PER_VM).")
        Integer maxBackupsPerVm,
        @Description("Proxmox-style: keep the newest N backups; 0 (default) leaves the rule out.")
        Integer keepLast,
        @Description("Proxmox-style: keep the newest backup of each of the last N hours that have one; 0 (default) leaves the rule out.")
        Integer keepHourly,
        @Description("Proxmox-style: keep the newest backup of each of the last N days that have one; 0 (default) leaves the rule out.")
        Integer keepDaily,
        @Description("Proxmox-style: keep the newest backup of each of the last N ISO weeks that have one; 0 (default) leaves the rule out.")
        Integer keepWeekly,
        @Description("Proxmox-style: keep the newest backup of each of the last N months that have one; 0 (default) leaves the rule out.")
        Integer keepMonthly,
        @Description("Proxmox-style: keep the newest backup of each of the last N years that have one; 0 (default) leaves the rule out.")
        Integer keepYearly,
        @Description("Half a minute after the daemon starts, run the archive pipeline four times over a 96 MiB generated disk with the output thrown away (a few seconds of CPU, at the lowest priority but for the compiling), "
                + "so that the first backup runs compiled code rather than paying for the compiling. Default true; false for a daemon that seldom backs up.")
        Boolean warmUp)
{
    public BackupSettings
    {
        backupDir = backupDir == null ? Path.of("backups") : backupDir;
        guests = guests == null || guests.isEmpty() ? List.of("all") : List.copyOf(guests);
        compression = compression == null ? "zstd" : compression;
        Compression kind = Compression.parse(compression);
        compressionLevel = compressionLevel == null ? kind.defaultLevel() : compressionLevel;
        kind.checkLevel(compressionLevel);
        compressionWorkers = compressionWorkers == null ? 0 : compressionWorkers;
        if (compressionWorkers < 0) {
            throw new IllegalArgumentException("compression_workers must be 0 (automatic) or more, was " + compressionWorkers);
        }
        ioPriority = ioPriority == null ? IoPriority.LOWEST_BEST_EFFORT.configName() : IoPriority.parse(ioPriority).configName();
        bandwidthLimit = nonNegative("bandwidth_limit", bandwidthLimit, 0);
        encrypt = encrypt != null && encrypt;
        gpgRecipients = gpgRecipients == null ? List.of() : List.copyOf(gpgRecipients);
        if (!gpgRecipients.isEmpty() && gpgHome == null) {
            throw new IllegalArgumentException("gpg_recipients is set but gpg_home is not; set gpg_home to the GnuPG home folder that holds their public keys "
                    + "(the one 'gpg --homedir FOLDER --list-keys' shows them in)");
        }
        if (gpgHome != null) {
            // checked even without encrypt: verify and restore may be its only use, and a typo should show in config check
            GnupgHome.of(gpgHome);
        }
        if (encrypt && recipientKeyFile == null && gpgRecipients.isEmpty()) {
            throw new IllegalArgumentException("encrypt is true but neither recipient_key_file nor gpg_recipients is set; export the recipients' public keys with "
                    + "'gpg --armor --export KEY > /etc/hypervisor/backup-keys.asc' and set recipient_key_file to that file, or set gpg_home and gpg_recipients");
        }
        if (encrypt) {
            // read now, so 'hyperops config check' and a reload report a missing or unusable key before any backup starts
            recipientKeys(recipientKeyFile, gpgHome, gpgRecipients, Instant.now());
        }
        verifyAfterBackup = verifyAfterBackup == null || verifyAfterBackup;
        verifyQemuImgCheck = verifyQemuImgCheck == null || verifyQemuImgCheck;
        retentionDays = nonNegative("retention_days", retentionDays, 30);
        maxBackupsPerVm = nonNegative("max_backups_per_vm", maxBackupsPerVm, 5);
        keepLast = nonNegative("keep_last", keepLast, 0);
        keepHourly = nonNegative("keep_hourly", keepHourly, 0);
        keepDaily = nonNegative("keep_daily", keepDaily, 0);
        keepWeekly = nonNegative("keep_weekly", keepWeekly, 0);
        keepMonthly = nonNegative("keep_monthly", keepMonthly, 0);
        keepYearly = nonNegative("keep_yearly", keepYearly, 0);
        warmUp = warmUp == null || warmUp;
    }

    public static BackupSettings defaults()
    {
        return new BackupSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Compression compressionKind()
    {
        return Compression.parse(compression);
    }

    public IoPriority threadIoPriority()
    {
        return IoPriority.parse(ioPriority);
    }

    /** A fresh token bucket for one run: the limit holds across its disks. */
    public Throttle throttle()
    {
        return Throttle.mebibytesPerSecond(bandwidthLimit);
    }

    /** Every recipient, read again from the key file and the keyring: a key that went away since the config was loaded refuses the run. */
    public Optional<RecipientKeys> recipients(Instant now)
    {
        return encrypt ? Optional.of(recipientKeys(recipientKeyFile, gpgHome, gpgRecipients, now)) : Optional.empty();
    }

    /** secret_key_file when set, otherwise gpg_home through gpg, otherwise none; {@code passphrase_file} goes with either. */
    public Optional<DecryptionKeys> decryptionKeys()
    {
        return decryptionKeys(Optional.ofNullable(passphraseFile));
    }

    /** As {@link #decryptionKeys()}, with another passphrase file (the command's {@code --passphrase-file}). */
    public Optional<DecryptionKeys> decryptionKeys(Optional<Path> passphrase)
    {
        if (secretKeyFile != null) {
            return Optional.of(SecretKeys.load(secretKeyFile, passphrase));
        }
        return Optional.ofNullable(gpgHome).map(home -> new GnupgDecryption(GnupgHome.of(home), passphrase));
    }

    private static RecipientKeys recipientKeys(Path keyFile, Path gpgHome, List<String> gpgRecipients, Instant now)
    {
        RecipientKeys keys = new RecipientKeys(List.of());
        if (keyFile != null) {
            keys = keys.and(RecipientKeys.load(keyFile, now));
        }
        if (!gpgRecipients.isEmpty()) {
            keys = keys.and(GnupgHome.of(gpgHome).recipients(gpgRecipients, now));
        }
        return keys;
    }

    public RetentionPolicy retention()
    {
        return new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, retentionDays, maxBackupsPerVm);
    }

    private static int nonNegative(String name, Integer value, int defaultValue)
    {
        if (value == null) {
            return defaultValue;
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, was " + value);
        }
        return value;
    }
}
