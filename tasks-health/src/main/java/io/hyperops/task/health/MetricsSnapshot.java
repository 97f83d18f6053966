package io.hyperops.task.health;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One {@code metrics-*.json} file, field for field the seed's (snake_case when written). Sizes are
 * binary units: a MB is 1024² bytes and a GB 1024³, as {@code free -m} and {@code df -BG} count.
 *
 * @param timestamp when the snapshot was taken, ISO-8601 with the host's offset, e.g. {@code 2025-06-01T14:00:00+02:00}
 * @param vms {@code null} when libvirt could not be asked; written as {@code "vms": null}, so a reader can
 *         tell "no VMs" from "not known" and every file has the same keys
 */
public record MetricsSnapshot(
        String timestamp,
        String hostname,
        Cpu cpu,
        Memory memory,
        Disk disk,
        @JsonInclude(JsonInclude.Include.ALWAYS) Vms vms)
{
    public MetricsSnapshot
    {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(disk, "disk is null");
    }

    /**
     * @param total logical processors of the host
     * @param loadAvg the kernel's load averages over 1, 5 and 15 minutes, in that order
     */
    public record Cpu(int total, List<Double> loadAvg)
    {
        public Cpu
        {
            loadAvg = List.copyOf(requireNonNull(loadAvg, "loadAvg is null"));
            if (loadAvg.size() != 3) {
                throw new IllegalArgumentException("loadAvg needs the 1, 5 and 15 minute averages, got " + loadAvg);
            }
        }
    }

    /** @param usedMb total less available, as {@code free} counts it */
    public record Memory(long totalMb, long availableMb, long usedMb)
    {
        public static Memory fromKilobytes(long totalKb, long availableKb)
        {
            long totalMb = totalKb / 1024;
            long availableMb = availableKb / 1024;
            return new Memory(totalMb, availableMb, totalMb - availableMb);
        }
    }

    /**
     * Space of the file system holding the data folder, counted as {@code df} does: blocks reserved for
     * root are neither used nor available, and the percentage is of the space a user can fill.
     *
     * @param usedPercent {@code used / (used + available)}, one decimal
     */
    public record Disk(double totalGb, double usedGb, double availableGb, double usedPercent)
    {
        private static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;

        /**
         * @param freeBytes unallocated space, root's reserve included ({@link java.nio.file.FileStore#getUnallocatedSpace()})
         * @param availableBytes space a user can fill ({@link java.nio.file.FileStore#getUsableSpace()})
         */
        public static Disk fromBytes(long totalBytes, long freeBytes, long availableBytes)
        {
            long usedBytes = totalBytes - freeBytes;
            long fillable = usedBytes + availableBytes;
            double usedPercent = fillable == 0 ? 0 : round(100.0 * usedBytes / fillable, 10);
            return new Disk(
                    round(totalBytes / BYTES_PER_GB, 100),
                    round(usedBytes / BYTES_PER_GB, 100),
                    round(availableBytes / BYTES_PER_GB, 100),
                    usedPercent);
        }

        private static double round(double value, int scale)
        {
            return Math.round(value * scale) / (double) scale;
        }
    }

    /** @param running domains that are active (running or paused); {@code stopped} are all others, crashed included */
    public record Vms(int total, int running, int stopped)
    {
    }
}
