package io.hyperops.task.backup;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.PreflightOperation;
import io.hyperops.spi.PreflightReport;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.retention.Retention;
import io.hyperops.task.backup.retention.RetentionDecision;
import jakarta.inject.Inject;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What the jobs and the command do with backups: run them (pre-flight, backup, verify, then prune),
 * verify, prune. One guest's failure never stops the others.
 */
public final class BackupOperations
{
    private final BackupService backups;
    private final LibvirtConnection libvirt;
    private final Optional<Preflight> preflight;
    // how far ahead of the clock a backup's date may be before pruning distrusts the clock (NTP steps, a slow RTC)
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(10);

    private final Clock clock;

    @Inject
    public BackupOperations(BackupService backups, LibvirtConnection libvirt, Optional<Preflight> preflight, Clock clock)
    {
        this.backups = requireNonNull(backups, "backups is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.preflight = requireNonNull(preflight, "preflight is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BackupStore store(BackupSettings settings)
    {
        return backups.store(settings);
    }

    /**
     * @param selection {@code all}, {@code running}, {@code stopped} or guest names
     * @throws IllegalStateException when the pre-flight space check fails: no guest is touched then
     */
    public List<GuestResult> run(BackupSettings settings, List<String> selection, Progress progress, Logger log)
            throws LibvirtException, InterruptedException
    {
        List<String> names = libvirt.call(connect -> BackupSelection.resolve(connect, selection));
        checkSpace(names, settings);
        // the secret key serves only the verify: a missing or broken one must not stop the backups themselves
        Optional<DecryptionKeys> keys;
        String noKeys = "";
        try {
            keys = settings.decryptionKeys();
        }
        catch (IllegalArgumentException | IllegalStateException e) {
            log.error("Backups run, but cannot be verified: {}", e.getMessage());
            keys = Optional.empty();
            noKeys = e.getMessage();
        }
        List<GuestResult> results = new ArrayList<>();
        for (String name : names) {
            results.add(runOne(name, settings, keys, noKeys, progress, log));
        }
        return results;
    }

    private GuestResult runOne(String name, BackupSettings settings, Optional<DecryptionKeys> keys, String noKeys, Progress progress, Logger log)
            throws InterruptedException
    {
        try {
            BackupOutcome outcome = backups.backup(name, settings, progress, log);
            BackupStore store = store(settings);
            StoredBackup stored = store.find(name, outcome.id());
            if (!settings.verifyAfterBackup() || (stored.manifest().encrypted() && keys.isEmpty())) {
                // Pruning runs only after the new backup is verified: unverified, it might be the broken one, and the
                // older backups the only good ones left.
                String why = !settings.verifyAfterBackup() ? "verify_after_backup is off"
                        : noKeys.isEmpty() ? "no secret_key_file to decrypt it" : noKeys;
                log.warn("Backup {} of {} not verified ({}); older backups were not pruned. Verify it with 'hyperops backup verify {} {}'", outcome.id(), name, why, name,
                        outcome.id());
                return new GuestResult(name, true, Optional.of(outcome.id()), "backup " + outcome.id() + " (" + outcome.manifest().backupSize() + " bytes, "
                        + outcome.manifest().consistency() + ", not verified: " + why + "), nothing pruned: pruning runs only after a verified backup");
            }
            VerifyRecord record;
            try {
                record = verify(store, stored, keys, settings.verifyQemuImgCheck(), progress);
            }
            catch (IllegalStateException e) {
                log.error("Verify of backup {} of {} refused: {}", outcome.id(), name, e.getMessage());
                return new GuestResult(name, false, Optional.of(outcome.id()), "backup " + outcome.id() + " was written but not verified: " + e.getMessage()
                        + "; older backups were not pruned");
            }
            if (!record.ok()) {
                return new GuestResult(name, false, Optional.of(outcome.id()), "backup " + outcome.id() + " failed its verify: " + record.message()
                        + "; older backups were not pruned");
            }
            List<RetentionDecision> pruned;
            try {
                pruned = prune(store, settings, name, Optional.of(outcome.id()), false, log);
            }
            catch (IllegalStateException e) {
                log.error("Backup {} of {} is verified, but pruning was refused: {}", outcome.id(), name, e.getMessage());
                return new GuestResult(name, false, Optional.of(outcome.id()), "backup " + outcome.id() + " (verified) was written, but pruning was refused: " + e.getMessage());
            }
            long gone = pruned.stream().filter(decision -> !decision.keep()).count();
            return new GuestResult(name, true, Optional.of(outcome.id()), "backup " + outcome.id() + " (" + outcome.manifest().backupSize() + " bytes, "
                    + outcome.manifest().consistency() + ", verified), pruned " + gone);
        }
        catch (IOException | LibvirtException | RuntimeException e) {
            log.error("Backup of {} failed", name, e);
            return new GuestResult(name, false, Optional.empty(), "backup of " + name + " failed: " + e.getMessage());
        }
        finally {
            // before the next guest, so a night of backups stays at one archive's memory
            MemoryRelease.now();
        }
    }

    /**
     * Reads the archive back and records the result in {@code verify.json}; with {@code imageCheck}, each
     * qcow2 disk is also restored to a scratch image beside the backup and checked with {@code qemu-img check}.
     *
     * Under the guest's lock, so a prune cannot delete the backup midway and two verifies never share the scratch folder.
     *
     * @throws IllegalStateException when the scratch image does not fit, or another backup, verify, restore or
     *         prune of the guest runs: nothing was read, nothing recorded
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public VerifyRecord verify(BackupStore store, StoredBackup backup, Optional<DecryptionKeys> keys, boolean imageCheck, Progress progress)
            throws IOException, InterruptedException
    {
        try (GuestLock lock = GuestLock.acquire(store.root(), backup.vmName())) {
            return verifyLocked(store, backup, keys, imageCheck, progress);
        }
    }

    private VerifyRecord verifyLocked(BackupStore store, StoredBackup backup, Optional<DecryptionKeys> keys, boolean imageCheck, Progress progress)
            throws IOException, InterruptedException
    {
        VerifyRecord record;
        try {
            Optional<Path> scratch = imageCheck ? Optional.of(backup.folder().resolve(ScratchRestore.FOLDER)) : Optional.empty();
            List<VerifyRecord.ImageCheck> checks = ArchiveCheck.verify(backup.archive(), backup.manifest(), keys, scratch, progress);
            String archive = "archive, integrity, decompression and " + backup.manifest().diskCount() + " disk checksums OK";
            List<String> failed = checks.stream().filter(check -> !check.ok()).map(check -> check.target() + ": " + check.result()).toList();
            String images = !imageCheck
                    ? "; qemu-img check off (verify_qemu_img_check: false)"
                    : "; qemu-img check of the restored image: " + checks.stream().map(BackupOperations::describe).collect(Collectors.joining(", "));
            record = failed.isEmpty()
                    ? new VerifyRecord(clock.instant().toString(), true, archive + images, checks)
                    : new VerifyRecord(clock.instant().toString(), false, "qemu-img check of the restored image failed: " + String.join("; ", failed), checks);
        }
        catch (IOException e) {
            record = new VerifyRecord(clock.instant().toString(), false, e.getMessage(), List.of());
        }
        catch (IllegalStateException e) {
            // a refusal (no room for the scratch image, say), not a verdict on the archive: nothing recorded
            throw e;
        }
        catch (RuntimeException e) {
            // a damaged archive can break a parser anywhere (a tar header's number, a checksum line): that is a failed verify too
            record = new VerifyRecord(clock.instant().toString(), false, "the archive is damaged: " + e, List.of());
        }
        store.recordVerify(backup, record);
        return record;
    }

    private static String describe(VerifyRecord.ImageCheck check)
    {
        if (!check.ok()) {
            return check.target() + " FAILED";
        }
        return check.target() + (check.format().equals("qcow2") ? " OK" : " raw, nothing to check");
    }

    /** @return the decisions for the guest's backups, newest first; with {@code dryRun} nothing is deleted */
    public List<RetentionDecision> prune(BackupStore store, BackupSettings settings, String vmName, boolean dryRun, Logger log)
            throws IOException
    {
        return prune(store, settings, vmName, Optional.empty(), dryRun, log);
    }

    /**
     * @param justMade the backup this run wrote and verified: kept whatever its date says (a clock that was
     *        wrong when it started must not make the newest backup look like the oldest)
     * @throws IllegalStateException when a backup is dated in the future: the clock is wrong now or was then,
     *         and retention by age or count cannot be trusted until that is sorted out
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    List<RetentionDecision> prune(BackupStore store, BackupSettings settings, String vmName, Optional<String> justMade, boolean dryRun, Logger log)
            throws IOException
    {
        try (GuestLock lock = dryRun ? null : GuestLock.acquire(store.root(), vmName)) {
            List<StoredBackup> list = store.list(vmName);
            Instant now = clock.instant();
            for (StoredBackup backup : list) {
                if (backup.point().time().isAfter(now.plus(CLOCK_SLACK)) && justMade.filter(backup.id()::equals).isEmpty()) {
                    throw new IllegalStateException("backup " + vmName + "/" + backup.id() + " is dated " + backup.point().time() + ", after the clock's " + now
                            + "; nothing was pruned. Check the clock (timedatectl); if it is right, that backup was made under a wrong one: "
                            + "delete or protect it by hand, then prune again");
                }
            }
            Map<String, StoredBackup> byId = list.stream().collect(Collectors.toMap(StoredBackup::id, backup -> backup));
            List<RetentionDecision> decisions = new Retention(settings.retention(), clock.getZone())
                    .decide(list.stream().map(StoredBackup::point).toList(), now).stream()
                    .map(decision -> !decision.keep() && justMade.filter(decision.backup().id()::equals).isPresent()
                            ? new RetentionDecision(decision.backup(), true, "keep: the backup this run made and verified")
                            : decision)
                    .toList();
            if (!dryRun) {
                for (RetentionDecision decision : decisions) {
                    if (!decision.keep()) {
                        store.delete(byId.get(decision.backup().id()));
                        log.info("Pruned backup {} of {}: {}", decision.backup().id(), vmName, decision.reason());
                    }
                }
            }
            return decisions;
        }
    }

    private void checkSpace(List<String> names, BackupSettings settings)
    {
        if (preflight.isEmpty()) {
            return;
        }
        PreflightReport report = preflight.get().check(new PreflightOperation.Backup(names, store(settings).root()));
        if (!report.passed()) {
            String problems = report.checks().stream().filter(check -> check.status() == CheckStatus.ERROR)
                    .map(check -> check.message() + check.fix().map(fix -> " (" + fix + ")").orElse(""))
                    .collect(Collectors.joining("; "));
            throw new IllegalStateException("pre-flight for backup failed, no guest was touched: " + problems);
        }
    }
}
