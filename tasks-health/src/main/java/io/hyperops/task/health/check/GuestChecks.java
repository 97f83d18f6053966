package io.hyperops.task.health.check;

import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.task.health.BackupCatalog;
import io.hyperops.task.health.Guest;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.recovery.RecoveryLedger;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The guests: how many, which crashed, what they use, unencrypted disks, disks left on a temporary
 * overlay, backup freshness and verify, and guests the recovery gave up on.
 */
public final class GuestChecks
{
    /**
     * A disk image that looks like a temporary overlay: hyperops' own {@code *.hyperops-overlay*}
     * files, or a backed image whose name ends in a snapshot suffix ({@code .snap}, {@code -snapshot},
     * {@code .overlay}, {@code .backup}, {@code .tmp}, optionally followed by {@code .qcow2}) or in the
     * ten digits of epoch seconds that libvirt gives external snapshots it names itself.
     */
    static final Pattern OVERLAY_SUFFIX = Pattern.compile("(?i).*([.-](snap|snapshot|overlay|backup|tmp)(\\.qcow2)?|\\.\\d{10})$");
    private static final String OVERLAY_MARKER = ".hyperops-overlay";

    private final GuestSource guests;
    private final BackupCatalog backups;
    private final RecoverySource recovery;
    private final HealthSettings settings;
    private final Clock clock;

    /**
     * @param recovery reads the vm-recovery job's state, empty where it never ran
     */
    public GuestChecks(GuestSource guests, BackupCatalog backups, RecoverySource recovery, HealthSettings settings, Clock clock)
    {
        this.guests = requireNonNull(guests, "guests is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The guests, read once per run however many checks ask. */
    @FunctionalInterface
    public interface GuestSource
    {
        List<Guest> guests()
                throws LibvirtException;
    }

    /** The vm-recovery job's state; a file that cannot be read makes the check fail, not pass. */
    @FunctionalInterface
    public interface RecoverySource
    {
        Optional<RecoveryLedger> ledger();
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("vm_count", () -> withGuests(this::vmCount)),
                new HealthCheck("crashed_vms", () -> withGuests(this::crashed)),
                new HealthCheck("vm_resources", () -> withGuests(this::resources)),
                new HealthCheck("unencrypted_disks", () -> withGuests(this::unencrypted)),
                new HealthCheck("snapshot_overlays", () -> withGuests(this::overlays)),
                new HealthCheck("backup_freshness", () -> withGuests(this::backupFreshness)),
                new HealthCheck("backup_verify", this::backupVerify),
                new HealthCheck("vm_recovery", () -> withGuests(this::recovery)));
    }

    private interface GuestCheck
    {
        CheckResult check(List<Guest> guests)
                throws IOException;
    }

    private CheckResult withGuests(GuestCheck check)
            throws LibvirtException, IOException
    {
        List<Guest> list;
        try {
            list = guests.guests();
        }
        catch (LibvirtUnavailableException e) {
            return CheckResult.error("cannot list the guests: " + e.getMessage(), "start libvirtd");
        }
        return check.check(list);
    }

    CheckResult vmCount(List<Guest> list)
    {
        long running = list.stream().filter(guest -> guest.state().running()).count();
        return CheckResult.info(list.size() + " VMs defined, " + running + " running");
    }

    CheckResult crashed(List<Guest> list)
    {
        List<String> crashed = list.stream().filter(guest -> guest.state().crashed()).map(guest -> guest.name() + " (" + guest.state().describe() + ")").toList();
        if (crashed.isEmpty()) {
            return CheckResult.ok("no crashed VMs");
        }
        return CheckResult.warn("crashed: " + String.join(", ", crashed), "enable the vm-recovery job, or start them: virsh start <name>");
    }

    CheckResult resources(List<Guest> list)
    {
        int vcpus = 0;
        long memoryKib = 0;
        for (Guest guest : list) {
            if (guest.state().running()) {
                vcpus += guest.vcpus();
                memoryKib += guest.memoryKib();
            }
        }
        return CheckResult.info(vcpus + " vCPUs and " + memoryKib / 1024 + " MB of memory given to running VMs");
    }

    CheckResult unencrypted(List<Guest> list)
    {
        List<String> plain = new ArrayList<>();
        for (Guest guest : list) {
            for (Guest.Disk disk : guest.disks()) {
                if (disk.format().equals("qcow2") && !disk.encrypted()) {
                    plain.add(guest.name() + ":" + disk.target());
                }
            }
        }
        if (plain.isEmpty()) {
            return CheckResult.ok("no unencrypted qcow2 disks");
        }
        return CheckResult.warn(plain.size() + " unencrypted qcow2 disk(s): " + String.join(", ", plain), "create guest disks with LUKS encryption (qemu-img create --object secret,... -o encrypt.format=luks)");
    }

    CheckResult overlays(List<Guest> list)
    {
        List<String> found = new ArrayList<>();
        for (Guest guest : list) {
            if (!guest.state().running()) {
                continue;
            }
            for (Guest.Disk disk : guest.disks()) {
                if (disk.file().isPresent() && isOverlay(disk.file().get(), disk.backed())) {
                    found.add(guest.name() + ":" + disk.target() + " on " + disk.file().get());
                }
            }
        }
        if (found.isEmpty()) {
            return CheckResult.ok("no guest runs on a temporary overlay");
        }
        return CheckResult.warn("running on a temporary overlay: " + String.join(", ", found), "merge it back: virsh blockcommit <vm> <disk> --active --pivot, then delete the overlay file");
    }

    static boolean isOverlay(Path file, boolean backed)
    {
        String name = file.getFileName().toString();
        return name.contains(OVERLAY_MARKER) || (backed && OVERLAY_SUFFIX.matcher(name).matches());
    }

    /** Each guest's newest backup that is good and did not fail its last verify, against {@code backup_max_age}. */
    CheckResult backupFreshness(List<Guest> list)
            throws IOException
    {
        Map<String, BackupCatalog.Backup> newest = backups.newestSound(backups.list(clock.getZone()));
        Instant cutoff = clock.instant().minus(settings.backupMaxAge());
        List<String> stale = new ArrayList<>();
        for (Guest guest : list) {
            BackupCatalog.Backup backup = newest.get(guest.name());
            if (backup == null) {
                stale.add(guest.name() + " (never)");
            }
            else if (backup.time().isBefore(cutoff)) {
                stale.add(guest.name() + " (" + hours(Duration.between(backup.time(), clock.instant())) + " h ago)");
            }
        }
        if (list.isEmpty()) {
            return CheckResult.info("no VMs to back up");
        }
        if (stale.isEmpty()) {
            return CheckResult.ok("every VM has a good backup newer than " + hours(settings.backupMaxAge()) + " h");
        }
        return CheckResult.warn("no good backup in the last " + hours(settings.backupMaxAge()) + " h: " + String.join(", ", stale), "hyperops run-job backup, and check the backup job's history: hyperops history backup");
    }

    /**
     * The newest backup of each guest in the backup folder (a removed guest's backups still matter for a
     * restore): ERROR when its last verify failed, WARN when it was never verified and is older than
     * {@code backup_verify_max_age}.
     */
    CheckResult backupVerify()
            throws IOException
    {
        Map<String, BackupCatalog.Backup> newest = BackupCatalog.newestGood(backups.list(clock.getZone()));
        Instant cutoff = clock.instant().minus(settings.backupVerifyMaxAge());
        List<String> failed = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        for (BackupCatalog.Backup backup : newest.values()) {
            String name = backup.vm() + "/" + backup.folder().getFileName();
            Optional<BackupCatalog.Verify> verify = backups.lastVerify(backup);
            if (verify.isPresent() && !verify.get().ok()) {
                failed.add(name + " (" + verify.get().message() + ")");
            }
            else if (verify.isEmpty() && backup.time().isBefore(cutoff)) {
                unverified.add(name + " (" + hours(Duration.between(backup.time(), clock.instant())) + " h old)");
            }
        }
        if (newest.isEmpty()) {
            return CheckResult.info("no backups to verify");
        }
        if (!failed.isEmpty()) {
            return CheckResult.error("newest backup failed its last verify: " + String.join("; ", failed)
                            + (unverified.isEmpty() ? "" : "; never verified: " + String.join(", ", unverified)),
                    "do not rely on it for a restore: run hyperops backup run VM for a new one, then find the cause in hyperops history backup-verify and the log");
        }
        if (!unverified.isEmpty()) {
            return CheckResult.warn("newest backup never verified in " + hours(settings.backupVerifyMaxAge()) + " h: " + String.join(", ", unverified),
                    "hyperops backup verify VM (encrypted archives need the backup job's secret_key_file), or enable the backup-verify job");
        }
        return CheckResult.ok("the newest backup of " + newest.size() + " VM(s) passed its last verify or is newer than " + hours(settings.backupVerifyMaxAge()) + " h");
    }

    /** A given-up guest that an operator started again is not reported: it runs, whatever the ledger says. */
    CheckResult recovery(List<Guest> list)
    {
        List<String> stopped = list.stream().filter(guest -> !guest.state().running()).map(Guest::name).toList();
        List<String> givenUp = recovery.ledger().map(RecoveryLedger::givenUp).orElse(List.of()).stream().filter(stopped::contains).toList();
        if (givenUp.isEmpty()) {
            return CheckResult.ok("no VM given up by vm-recovery");
        }
        return CheckResult.error("vm-recovery gave up on " + String.join(", ", givenUp) + " after repeated crashes",
                "find why it crashes (/var/log/libvirt/qemu/<vm>.log), then start it: virsh start <vm>; vm-recovery watches it again once it has run for its stable period");
    }

    private static long hours(Duration duration)
    {
        return duration.toHours();
    }
}
