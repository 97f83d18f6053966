package io.hyperops.task.health.check;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.ProcFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/** Hardware and kernel tuning: processors, memory, disk, KVM, IOMMU, huge pages, governor, swappiness. */
public final class HostChecks
{
    private static final long GB = 1024L * 1024 * 1024;
    private static final Pattern BRACKETED = Pattern.compile(".*\\[(\\w+)].*");

    private final HostFiles host;
    private final ProcFiles proc;
    private final HostPaths paths;
    private final HealthSettings settings;

    public HostChecks(HostFiles host, HostPaths paths, HealthSettings settings)
    {
        this.host = requireNonNull(host, "host is null");
        this.proc = new ProcFiles(host.path("/proc"));
        this.paths = requireNonNull(paths, "paths is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("cpu_count", this::cpuCount),
                new HealthCheck("cpu_virt", this::cpuVirtualization),
                new HealthCheck("memory_total", this::memoryTotal),
                new HealthCheck("memory_available", this::memoryAvailable),
                new HealthCheck("disk_space", this::diskSpace),
                new HealthCheck("dev_kvm", this::devKvm),
                new HealthCheck("iommu", this::iommu),
                new HealthCheck("disk_speed", this::diskSpeed),
                new HealthCheck("hugepages", this::hugepages),
                new HealthCheck("cpu_governor", this::cpuGovernor),
                new HealthCheck("swappiness", this::swappiness),
                new HealthCheck("transparent_hugepages", this::transparentHugepages));
    }

    CheckResult cpuCount()
            throws IOException
    {
        int count = proc.processorCount();
        if (count >= settings.cpuCountOk()) {
            return CheckResult.ok(count + " CPUs");
        }
        String hint = "guests share " + count + " CPUs; plan fewer vCPUs or a host with at least " + settings.cpuCountOk();
        if (count >= settings.cpuCountWarn()) {
            return CheckResult.warn(count + " CPUs, fewer than the recommended " + settings.cpuCountOk(), hint);
        }
        return CheckResult.error(count + " CPU(s), fewer than the minimum " + settings.cpuCountWarn(), hint);
    }

    CheckResult cpuVirtualization()
            throws IOException
    {
        String cpuinfo = Files.readString(host.path("/proc/cpuinfo"));
        if (Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE).matcher(cpuinfo).find()) {
            return CheckResult.ok("hardware virtualization (" + (cpuinfo.contains(" vmx") ? "vmx" : "svm") + ") available");
        }
        if (Files.exists(host.path("/dev/kvm"))) {
            // a nested or containerized host may hide the flags while KVM works; dev_kvm tells whether it is usable
            return CheckResult.info("the CPU flags show neither vmx nor svm, but /dev/kvm exists (nested virtualization or hidden flags)");
        }
        return CheckResult.error("the CPU flags show neither vmx nor svm: no hardware virtualization", "enable VT-x/AMD-V in the firmware setup");
    }

    CheckResult memoryTotal()
            throws IOException
    {
        long gb = Math.round(proc.meminfoKilobytes("MemTotal") / 1024.0 / 1024.0);
        // "excellent" is the seed's word above 32 GB, but never above an operator's own higher threshold
        if (gb >= Math.max(32, settings.memoryOkGb())) {
            return CheckResult.ok(gb + " GB (excellent)");
        }
        if (gb >= settings.memoryOkGb()) {
            return CheckResult.ok(gb + " GB (good)");
        }
        if (gb >= settings.memoryWarnGb()) {
            return CheckResult.warn(gb + " GB, less than the recommended " + settings.memoryOkGb() + " GB", "add memory or run fewer guests");
        }
        return CheckResult.error(gb + " GB, less than the minimum " + settings.memoryWarnGb() + " GB", "add memory: at least " + settings.memoryWarnGb() + " GB");
    }

    CheckResult memoryAvailable()
            throws IOException
    {
        long availableMb = proc.meminfoKilobytes("MemAvailable") / 1024;
        long totalMb = proc.meminfoKilobytes("MemTotal") / 1024;
        return CheckResult.info(String.format(Locale.ROOT, "%.1f GB of %.1f GB available", availableMb / 1024.0, totalMb / 1024.0));
    }

    CheckResult diskSpace()
            throws IOException
    {
        Path folder = existing(paths.dataDir());
        long gb = Files.getFileStore(folder).getUsableSpace() / GB;
        String where = " free on " + folder;
        String hint = "free up space with: hyperops run-job storage-cleanup (or delete old ISOs and backups under " + paths.dataDir() + ")";
        if (gb >= settings.diskOkGb()) {
            return CheckResult.ok(gb + " GB" + where);
        }
        if (gb >= settings.diskErrorGb()) {
            String level = gb * 2 < settings.diskOkGb() ? " (running low)" : "";
            return CheckResult.warn(gb + " GB" + where + level + ", below " + settings.diskOkGb() + " GB", hint);
        }
        return CheckResult.error(gb + " GB" + where + ", below " + settings.diskErrorGb() + " GB", hint);
    }

    CheckResult devKvm()
    {
        Path kvm = host.path("/dev/kvm");
        if (!Files.exists(kvm)) {
            return CheckResult.error("/dev/kvm does not exist", "load the module: modprobe kvm_intel (or kvm_amd), and enable virtualization in the firmware");
        }
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return CheckResult.error("/dev/kvm is not readable and writable by this user", "add the user to the kvm group, or check the device's permissions");
        }
        return CheckResult.ok("/dev/kvm is readable and writable");
    }

    CheckResult iommu()
            throws IOException
    {
        Path groups = host.path("/sys/class/iommu");
        if (Files.isDirectory(groups)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(groups)) {
                if (entries.iterator().hasNext()) {
                    return CheckResult.ok("IOMMU enabled");
                }
            }
        }
        return CheckResult.info("IOMMU not enabled (needed only for device passthrough)", "add intel_iommu=on (or amd_iommu=on) to the kernel command line");
    }

    CheckResult diskSpeed()
            throws IOException
    {
        if (!settings.diskSpeedTest()) {
            return CheckResult.info("not measured (disk_speed_test is off)");
        }
        Path folder = existing(paths.dataDir());
        Path file = folder.resolve(".hyperops-disk-speed-test");
        // one left by a run killed mid-test would make every later test fail (CREATE_NEW keeps two runs apart)
        if (Files.exists(file) && Files.getLastModifiedTime(file).toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
            Files.deleteIfExists(file);
        }
        byte[] block = new byte[1024 * 1024];
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, CREATE_NEW, WRITE, DELETE_ON_CLOSE)) {
            for (int written = 0; written < settings.diskSpeedTestMb(); written++) {
                ByteBuffer buffer = ByteBuffer.wrap(block);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long speed = Math.round(settings.diskSpeedTestMb() / seconds);
        if (speed >= Math.max(500, settings.diskSpeedOkMbPerSecond())) {
            return CheckResult.ok(speed + " MB/s write (excellent)");
        }
        if (speed >= settings.diskSpeedOkMbPerSecond()) {
            return CheckResult.ok(speed + " MB/s write (good)");
        }
        return CheckResult.warn(speed + " MB/s write, below " + settings.diskSpeedOkMbPerSecond() + " MB/s", "consider an SSD for guest disks");
    }

    CheckResult hugepages()
            throws IOException
    {
        long pages = proc.meminfoKilobytes("HugePages_Total");
        if (pages > 0) {
            return CheckResult.ok(pages + " huge pages reserved");
        }
        return CheckResult.info("no huge pages reserved", "reserve some with vm.nr_hugepages for large guests");
    }

    CheckResult cpuGovernor()
            throws IOException
    {
        Path file = host.path("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
        if (!Files.exists(file)) {
            return CheckResult.info("no CPU frequency scaling (virtual machine or fixed frequency)");
        }
        String governor = Files.readString(file).strip();
        return switch (governor) {
            case "performance" -> CheckResult.ok("governor performance");
            case "powersave" -> CheckResult.warn("governor powersave slows guests", "set the performance governor: cpupower frequency-set -g performance");
            default -> CheckResult.info("governor " + governor, "the performance governor gives guests steady speed");
        };
    }

    CheckResult swappiness()
            throws IOException
    {
        int value = Integer.parseInt(Files.readString(host.path("/proc/sys/vm/swappiness")).strip());
        if (value <= settings.swappinessOk()) {
            return CheckResult.ok("vm.swappiness " + value);
        }
        String hint = "sysctl -w vm.swappiness=" + settings.swappinessOk();
        if (value <= settings.swappinessInfo()) {
            return CheckResult.info("vm.swappiness " + value + ", above " + settings.swappinessOk(), hint);
        }
        return CheckResult.warn("vm.swappiness " + value + " swaps guest memory early", hint);
    }

    CheckResult transparentHugepages()
            throws IOException
    {
        Path file = host.path("/sys/kernel/mm/transparent_hugepage/enabled");
        if (!Files.exists(file)) {
            return CheckResult.info("transparent huge pages not offered by this kernel");
        }
        Matcher matcher = BRACKETED.matcher(Files.readString(file).strip());
        String mode = matcher.matches() ? matcher.group(1) : "unknown";
        if (mode.equals("always") || mode.equals("madvise")) {
            return CheckResult.ok("transparent huge pages: " + mode);
        }
        return CheckResult.info("transparent huge pages: " + mode, "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
    }

    /** The folder, or its nearest existing parent: a new host may not have the data folder yet. */
    private static Path existing(Path folder)
            throws NoSuchFileException
    {
        Path candidate = folder.toAbsolutePath();
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        if (candidate == null) {
            throw new NoSuchFileException(folder.toString());
        }
        return candidate;
    }
}
