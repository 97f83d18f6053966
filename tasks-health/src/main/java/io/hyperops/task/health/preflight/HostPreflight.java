package io.hyperops.task.health.preflight;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.PreflightOperation;
import io.hyperops.spi.PreflightReport.Check;
import io.hyperops.spi.PreflightReport;
import io.hyperops.task.health.Guest;
import io.hyperops.task.health.GuestInventory;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.ProcFiles;
import io.hyperops.task.health.check.CheckResult;
import io.hyperops.task.health.check.NetworkChecks;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The seed's pre-flight checks, every check of an operation run to the end (the seed stopped at the
 * first failure, before its summary), each failure with the command that fixes it.
 */
public final class HostPreflight
        implements Preflight
{
    static final long GB = 1024L * 1024 * 1024;
    static final long ISO_DOWNLOAD_MINIMUM = 5 * GB;
    static final long GENERAL_MINIMUM = 20 * GB;
    static final int SNAPSHOT_WARNING = 10;

    private final HostFiles host;
    private final HostPaths paths;
    private final LibvirtConnection libvirt;

    @Inject
    public HostPreflight(HostFiles host, HostPaths paths, LibvirtConnection libvirt)
    {
        this.host = requireNonNull(host, "host is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
    }

    @Override
    public PreflightReport check(PreflightOperation operation)
    {
        Checks checks = new Checks();
        if (operation instanceof PreflightOperation.VmCreate create) {
            vmCreate(create, checks);
        }
        else if (operation instanceof PreflightOperation.VmStart start) {
            vmStart(start, checks);
        }
        else if (operation instanceof PreflightOperation.IsoDownload download) {
            isoDownload(download, checks);
        }
        else if (operation instanceof PreflightOperation.Backup backup) {
            backup(backup, checks);
        }
        else if (operation instanceof PreflightOperation.Snapshot snapshot) {
            snapshot(snapshot, checks);
        }
        else {
            general(checks);
        }
        return new PreflightReport(operation.name(), checks.list);
    }

    private void vmCreate(PreflightOperation.VmCreate create, Checks checks)
    {
        checks.add("kvm", this::kvm);
        checks.add("libvirt", this::libvirt);
        checks.add("disk_space", () -> space(paths.dataDir().resolve("disks"), create.diskBytes()));
        checks.add("vm_name", () -> uniqueName(create.vmName()));
        checks.add("memory", () -> memory(create.memoryMib()));
        checks.add("cpus", () -> cpus(create.cpus()));
        create.iso().ifPresent(iso -> {
            checks.add("iso", () -> isoExists(iso));
            checks.add("iso_checksum", () -> isoChecksum(iso));
        });
    }

    private void vmStart(PreflightOperation.VmStart start, Checks checks)
    {
        checks.add("kvm", this::kvm);
        checks.add("libvirt", this::libvirt);
        Optional<Guest> guest = checks.guest(start.vmName(), libvirt);
        if (guest.isEmpty()) {
            return;
        }
        checks.add("vm_state", () -> guest.get().state().running()
                ? CheckResult.warn(start.vmName() + " is already " + guest.get().state().describe(), "nothing to start; to restart: virsh reboot " + start.vmName())
                : CheckResult.ok(start.vmName() + " is " + guest.get().state().describe()));
        checks.add("memory", () -> memory(guest.get().memoryKib() / 1024));
        checks.add("disks", () -> {
            List<String> missing = guest.get().disks().stream().flatMap(disk -> disk.file().stream()).filter(file -> !Files.exists(file)).map(Path::toString).toList();
            return missing.isEmpty()
                    ? CheckResult.ok("every disk image exists")
                    : CheckResult.error("missing disk image(s): " + String.join(", ", missing), "restore them from a backup: hyperops backup restore " + start.vmName() + " latest");
        });
    }

    private void isoDownload(PreflightOperation.IsoDownload download, Checks checks)
    {
        checks.add("disk_space", () -> space(download.target(), Math.max(download.bytes(), ISO_DOWNLOAD_MINIMUM)));
        checks.add("network", () -> new NetworkChecks(host, HealthSettings.defaults()).reachability());
    }

    private void backup(PreflightOperation.Backup backup, Checks checks)
    {
        checks.add("libvirt", this::libvirt);
        List<Guest> all;
        try {
            all = GuestInventory.read(libvirt);
        }
        catch (LibvirtException | RuntimeException e) {
            return;
        }
        List<Guest> selected = new ArrayList<>();
        if (backup.vmNames().isEmpty()) {
            selected.addAll(all);
        }
        for (String name : backup.vmNames()) {
            Optional<Guest> guest = all.stream().filter(candidate -> candidate.name().equals(name)).findFirst();
            if (guest.isPresent()) {
                selected.add(guest.get());
            }
            else {
                checks.add("vm_exists", () -> CheckResult.error("no VM named " + name, "list the VMs: virsh list --all"));
            }
        }
        checks.add("disk_space", () -> {
            long needed = GB;
            for (Guest guest : selected) {
                needed += guest.memoryKib() * 1024 + diskBytes(guest);
            }
            return space(backup.target(), needed);
        });
    }

    private void snapshot(PreflightOperation.Snapshot snapshot, Checks checks)
    {
        checks.add("libvirt", this::libvirt);
        checks.add("snapshots", () -> libvirt.call(connect -> {
            Domain domain;
            try {
                domain = connect.domainLookupByName(snapshot.vmName());
            }
            catch (LibvirtException e) {
                if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    return CheckResult.error("no VM named " + snapshot.vmName(), "list the VMs: virsh list --all");
                }
                throw e;
            }
            try {
                int count = domain.snapshotNum();
                if (count >= SNAPSHOT_WARNING) {
                    return CheckResult.warn(snapshot.vmName() + " has " + count + " snapshots; long chains slow its disk", "delete old ones: virsh snapshot-list " + snapshot.vmName() + ", then virsh snapshot-delete " + snapshot.vmName() + " <name>");
                }
                return CheckResult.ok(snapshot.vmName() + " has " + count + " snapshot(s)");
            }
            finally {
                domain.free();
            }
        }));
        checks.add("disk_space", () -> space(paths.dataDir(), GB));
    }

    private void general(Checks checks)
    {
        checks.add("kvm", this::kvm);
        checks.add("libvirt", this::libvirt);
        checks.add("disk_space", () -> space(paths.dataDir(), GENERAL_MINIMUM));
        checks.add("memory", () -> {
            long availableMb = new ProcFiles(host.path("/proc")).meminfoKilobytes("MemAvailable") / 1024;
            return CheckResult.info(availableMb + " MB of memory available");
        });
    }

    private long diskBytes(Guest guest)
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Domain domain = connect.domainLookupByName(guest.name());
            try {
                long total = 0;
                for (Guest.Disk disk : guest.disks()) {
                    total += domain.blockInfo(disk.target()).getCapacity();
                }
                return total;
            }
            finally {
                domain.free();
            }
        });
    }

    CheckResult kvm()
    {
        Path kvm = host.path("/dev/kvm");
        if (Files.exists(kvm) && Files.isReadable(kvm) && Files.isWritable(kvm)) {
            return CheckResult.ok("/dev/kvm is usable");
        }
        return CheckResult.error("KVM is not available: " + (Files.exists(kvm) ? "/dev/kvm is not readable and writable" : "/dev/kvm does not exist"),
                "Load KVM with: modprobe kvm_intel (or kvm_amd), enable virtualization in the firmware, and add the user to group kvm");
    }

    CheckResult libvirt()
    {
        try {
            libvirt.call(connect -> connect.getLibVersion());
            return CheckResult.ok("libvirt answers at " + libvirt.uri());
        }
        catch (LibvirtUnavailableException | LibvirtException e) {
            return CheckResult.error("libvirt does not answer: " + e.getMessage(), "Start it with: systemctl start libvirtd");
        }
    }

    CheckResult space(Path target, long requiredBytes)
            throws IOException
    {
        Path existing = target.toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        long available = Files.getFileStore(existing).getUsableSpace();
        String text = gigabytes(available) + " available, " + gigabytes(requiredBytes) + " required on " + existing;
        if (available >= requiredBytes) {
            return CheckResult.ok("Disk space: " + text);
        }
        return CheckResult.error("Insufficient disk space: " + text,
                "Free up space with: hyperops run-job storage-cleanup (or delete old ISOs and backups under " + paths.dataDir() + ")");
    }

    CheckResult uniqueName(String name)
            throws LibvirtException
    {
        boolean exists = libvirt.call(connect -> {
            try {
                connect.domainLookupByName(name).free();
                return true;
            }
            catch (LibvirtException e) {
                if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    return false;
                }
                throw e;
            }
        });
        if (exists) {
            return CheckResult.error("A VM named " + name + " already exists", "Choose another --name, or remove the old one: virsh undefine " + name);
        }
        return CheckResult.ok("the name " + name + " is free");
    }

    CheckResult memory(long requiredMib)
            throws IOException
    {
        long availableMb = new ProcFiles(host.path("/proc")).meminfoKilobytes("MemAvailable") / 1024;
        if (availableMb >= requiredMib) {
            return CheckResult.ok("Memory: " + availableMb + " MB available, " + requiredMib + " MB required");
        }
        return CheckResult.error("Insufficient memory: " + availableMb + " MB available, " + requiredMib + " MB required",
                "Free memory with: virsh shutdown <an idle VM>, or ask for less with --memory");
    }

    CheckResult cpus(int requested)
            throws IOException, LibvirtException
    {
        int host = new ProcFiles(this.host.path("/proc")).processorCount();
        if (requested > host) {
            return CheckResult.error(requested + " vCPUs requested, the host has " + host + " CPUs", "Ask for at most " + host + " with --cpus");
        }
        int running = 0;
        try {
            for (Guest guest : GuestInventory.read(libvirt)) {
                if (guest.state().running()) {
                    running += guest.vcpus();
                }
            }
        }
        catch (LibvirtUnavailableException e) {
            return CheckResult.ok(requested + " vCPUs of " + host + " CPUs");
        }
        if (running + requested > host) {
            return CheckResult.warn("CPU overcommit: " + (running + requested) + " vCPUs on " + host + " CPUs (" + running + " used by running VMs)",
                    "Fine for idle guests; for busy ones ask for fewer with --cpus");
        }
        return CheckResult.ok(requested + " vCPUs, " + (running + requested) + " of " + host + " CPUs in use");
    }

    CheckResult isoExists(Path iso)
    {
        if (Files.isRegularFile(iso)) {
            return CheckResult.ok("ISO " + iso + " exists");
        }
        return CheckResult.error("ISO not found: " + iso, "Download the ISO to that path, or correct the path");
    }

    /** Verified against {@code <iso>.sha256} in {@code sha256sum}'s format, which the ISO download writes. */
    CheckResult isoChecksum(Path iso)
            throws IOException
    {
        if (!Files.isRegularFile(iso)) {
            return CheckResult.error("cannot verify the checksum of a missing ISO", "Download the ISO to that path first");
        }
        Path sums = iso.resolveSibling(iso.getFileName() + ".sha256");
        if (!Files.exists(sums)) {
            return CheckResult.warn("checksum of " + iso.getFileName() + " not verified: no " + sums.getFileName(),
                    "Verify it: sha256sum " + iso + " and compare with the vendor's, then save the line as " + sums);
        }
        String expected = Files.readString(sums).strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        String actual = sha256(iso);
        if (actual.equals(expected)) {
            return CheckResult.ok("checksum of " + iso.getFileName() + " verified");
        }
        return CheckResult.error("checksum mismatch for " + iso.getFileName() + ": " + actual + ", expected " + expected, "Download it again: the file is damaged or not the published one");
    }

    private static String sha256(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    static String gigabytes(long bytes)
    {
        return bytes / GB + "GB";
    }

    /** Collects checks; one that throws is an ERROR in the report, not the end of the run. */
    private static final class Checks
    {
        final List<Check> list = new ArrayList<>();

        interface Probe
        {
            CheckResult run()
                    throws Exception;
        }

        void add(String name, Probe probe)
        {
            CheckResult result;
            try {
                result = probe.run();
            }
            catch (LibvirtUnavailableException e) {
                result = CheckResult.error("libvirt does not answer: " + e.getMessage(), "Start it with: systemctl start libvirtd");
            }
            catch (Exception e) {
                result = CheckResult.error("check failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), "see the log; run the check again");
            }
            list.add(new Check(name, result.status(), result.message(), result.hint()));
        }

        Optional<Guest> guest(String name, LibvirtConnection libvirt)
        {
            try {
                Optional<Guest> guest = GuestInventory.read(libvirt).stream().filter(candidate -> candidate.name().equals(name)).findFirst();
                if (guest.isEmpty()) {
                    add("vm_exists", () -> CheckResult.error("no VM named " + name, "list the VMs: virsh list --all"));
                }
                else {
                    add("vm_exists", () -> CheckResult.ok(name + " is defined"));
                }
                return guest;
            }
            catch (LibvirtException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
