package io.hyperops.task.security.check;

import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Backups encrypted, to a key that is on the host and was recently shown to work: the newest backup of
 * each guest ({@code <data_dir>/backups/<vm>/<timestamp>/backup-info.json}) says {@code encrypted: true},
 * the key file exists, and the backup-verify job last succeeded within the allowed age.
 */
public final class BackupCheck
{
    private final HostRoot host;
    private final JsonFiles jsonFiles;
    private final JobHistory history;

    public BackupCheck(HostRoot host, JsonFiles jsonFiles, JobHistory history)
    {
        this.host = requireNonNull(host, "host is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.history = requireNonNull(history, "history is null");
    }

    public Finding check(Path backupsFolder, Path keyFile, String verifyJob, Duration verifyMaxAge, Instant now)
            throws IOException
    {
        String id = "backup_encryption";
        List<String> plain = new ArrayList<>();
        List<String> encrypted = new ArrayList<>();
        if (Files.isDirectory(backupsFolder)) {
            try (DirectoryStream<Path> guests = Files.newDirectoryStream(backupsFolder, Files::isDirectory)) {
                for (Path guest : guests) {
                    newest(guest).ifPresent(backup -> (isEncrypted(backup) ? encrypted : plain).add(guest.getFileName() + "/" + backup.getFileName()));
                }
            }
        }
        if (plain.isEmpty() && encrypted.isEmpty()) {
            return Finding.info(id, "no backups in " + backupsFolder);
        }
        plain.sort(null);
        if (!plain.isEmpty()) {
            return Finding.warn(id, "newest backup not encrypted: " + String.join(", ", plain) + " (backup-info.json encrypted is not true)",
                    "Turn on encryption in the backup job's settings with the key " + keyFile + " and run a backup: hyperops run-job backup");
        }
        boolean known = history.jobNames().contains(verifyJob);
        // the newest run that finished on its own; skipped and interrupted runs prove nothing either way
        Optional<RunReport> last = (known ? history.recent(verifyJob, 50) : List.<RunReport>of()).stream()
                .filter(run -> run.outcome() == RunOutcome.SUCCESS || run.outcome() == RunOutcome.WARNING || run.outcome() == RunOutcome.FAILED)
                .findFirst();
        Path key = host.resolve(keyFile);
        if (!Files.isRegularFile(key) || Files.size(key) == 0) {
            // a host that encrypts to a GnuPG keyring (the backup job's gpg_home) has no key file: a recent
            // verify that decrypted the backups is the proof the key file would have given
            if (last.isPresent() && last.get().outcome() == RunOutcome.SUCCESS && Duration.between(last.get().end(), now).compareTo(verifyMaxAge) <= 0) {
                return Finding.ok(id, encrypted.size() + " guest(s) with encrypted newest backups; no key file at " + keyFile + " (a GnuPG keyring?), but "
                        + verifyJob + " decrypted them at " + last.get().end());
            }
            return Finding.error(id, encrypted.size() + " guest(s) have encrypted backups, but the key " + keyFile + " is missing or empty and no recent "
                    + verifyJob + " run decrypted them: they may not be restorable here", "Put the backup key back at " + keyFile + " from its offline copy, "
                    + "or point backup_key_file at the key the backup job uses, then run: hyperops run-job " + verifyJob);
        }
        String verify = "Prove the key decrypts them: hyperops run-job " + verifyJob;
        if (last.isEmpty()) {
            return Finding.warn(id, "backups are encrypted to " + keyFile + ", but " + verifyJob + (known ? " has never finished a run" : " is no job here"), verify);
        }
        if (last.get().outcome() != RunOutcome.SUCCESS) {
            return Finding.warn(id, "backups are encrypted to " + keyFile + ", but the last " + verifyJob + " run ended " + last.get().outcome().jsonName()
                    + " at " + last.get().end() + ": " + last.get().summary(), verify + " and read its log: hyperops logs " + verifyJob);
        }
        if (Duration.between(last.get().end(), now).compareTo(verifyMaxAge) > 0) {
            return Finding.warn(id, "backups are encrypted to " + keyFile + ", but " + verifyJob + " last succeeded at " + last.get().end()
                    + ", longer ago than " + text(verifyMaxAge), verify);
        }
        return Finding.ok(id, encrypted.size() + " guest(s) with encrypted newest backups; key " + keyFile + " present; " + verifyJob
                + " succeeded at " + last.get().end());
    }

    /** {@code 8d}, {@code 36h}, {@code 90min}: as the config file writes time spans. */
    private static String text(Duration duration)
    {
        if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        if (duration.toHours() > 0 && duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        return duration.toMinutes() + "min";
    }

    private static Optional<Path> newest(Path guest)
            throws IOException
    {
        List<Path> backups = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(guest, folder -> Files.isRegularFile(folder.resolve("backup-info.json")))) {
            stream.forEach(backups::add);
        }
        // folder names are YYYYmmdd-HHMMSS: the newest sorts last
        return backups.stream().max(Path::compareTo);
    }

    private boolean isEncrypted(Path backup)
    {
        Optional<?> content;
        try {
            content = jsonFiles.read(backup.resolve("backup-info.json"), Map.class);
        }
        catch (RuntimeException e) {
            // unreadable or not JSON: nothing shows it is encrypted
            return false;
        }
        return content.isPresent() && content.get() instanceof Map<?, ?> fields && Boolean.TRUE.equals(fields.get("encrypted"));
    }
}
