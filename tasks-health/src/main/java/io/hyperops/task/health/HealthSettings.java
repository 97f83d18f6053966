package io.hyperops.task.health;

import io.hyperops.spi.Description;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of the {@code health} job; a component left out of the config file takes its default, the
 * seed's threshold where the seed had one.
 */
@Description("Checks the host, its services, network, storage, guests, security and tuning, and writes health-status.json and a Prometheus text file.")
public record HealthSettings(
        @Description("Time-out of each check; a check still running then is reported as timed out and the others are not held up. Default 10s.")
        Duration checkTimeout,
        @Description("Time-outs for single checks by name, e.g. {\"disk_speed\": \"60s\"}; others use check_timeout.")
        Map<String, Duration> checkTimeouts,
        @Description("Checks to leave out, by name, e.g. [\"auditd\", \"apparmor\"].")
        List<String> disabledChecks,
        @Description("cpu_count: at least this many processors is OK. Default 4.")
        Integer cpuCountOk,
        @Description("cpu_count: at least this many is WARN, fewer is ERROR. Default 2.")
        Integer cpuCountWarn,
        @Description("memory_total: at least this many GB is OK (32 and more is reported as excellent). Default 16.")
        Integer memoryOkGb,
        @Description("memory_total: at least this many GB is WARN, less is ERROR. Default 8.")
        Integer memoryWarnGb,
        @Description("disk_space: free GB on the data folder's file system at which it is OK. Default 100.")
        Integer diskOkGb,
        @Description("disk_space: free GB under which it is ERROR; between this and disk_ok_gb it is WARN. Default 20.")
        Integer diskErrorGb,
        @Description("Addresses the network check pings. Empty (default): the default gateway from /proc/net/route; never a public address unless listed here.")
        List<String> reachabilityTargets,
        @Description("DNS servers the dns check queries. Empty (default): the nameservers of /etc/resolv.conf.")
        List<String> dnsServers,
        @Description("How long one reachability or DNS probe waits for an answer. Default 2s.")
        Duration probeTimeout,
        @Description("The bridge the guests use; UP is OK, DOWN is WARN, absent is INFO (guests use NAT). Default br0.")
        String bridge,
        @Description("Folders that must exist, relative to the data folder. Default isos, disks, xml, vm_profiles.")
        List<String> requiredDirs,
        @Description("The libvirt storage pool that must be running. Default 'default'.")
        String storagePool,
        @Description("storage_pool_capacity: a pool used this many percent or more is WARN. Default 80.")
        Integer poolWarnPercent,
        @Description("storage_pool_capacity: a pool used this many percent or more is ERROR. Default 90.")
        Integer poolErrorPercent,
        @Description("Measure the disk write speed (writes and deletes disk_speed_test_mb in the data folder). Off by default: it costs I/O on every run.")
        Boolean diskSpeedTest,
        @Description("Size of the disk speed test file in MB. Default 100.")
        Integer diskSpeedTestMb,
        @Description("disk_speed: MB/s at which the disk is good; slower is WARN (consider SSD). Default 100; 500 and more is reported as excellent.")
        Integer diskSpeedOkMbPerSecond,
        @Description("The config file whose JSON the config_file check validates. Default: the file the engine reads.")
        Path configFile,
        @Description("swappiness: this value or lower is OK. Default 10.")
        Integer swappinessOk,
        @Description("swappiness: this value or lower is INFO, higher is WARN. Default 60.")
        Integer swappinessInfo,
        @Description("backup_freshness: a guest whose newest good backup is older than this is WARN. Default 36h (daily backups with slack).")
        Duration backupMaxAge,
        @Description("backup_verify: a guest whose newest backup was never verified and is older than this is WARN (one that failed its last verify is ERROR). Default 8d (the weekly backup-verify job with slack).")
        Duration backupVerifyMaxAge,
        @Description("failed_jobs: a job whose last run failed is WARN; one whose last this many runs all failed is ERROR. Default 3.")
        Integer failedRunsError,
        @Description("stale_state_files: leftover temporary files in the state folder older than this are WARN. Default 1h.")
        Duration staleTempAge,
        @Description("Write the Prometheus text file for node_exporter's textfile collector. Default true.")
        Boolean prometheusTextfile,
        @Description("Where the Prometheus text file goes; relative paths are under the data folder. Default node-exporter/hyperops_health.prom.")
        Path prometheusFile)
{
    public HealthSettings
    {
        checkTimeout = positive("check_timeout", checkTimeout, Duration.ofSeconds(10));
        checkTimeouts = Map.copyOf(checkTimeouts == null ? Map.of() : checkTimeouts);
        checkTimeouts.forEach((name, timeout) -> positive("check_timeouts." + name, timeout, timeout));
        disabledChecks = List.copyOf(disabledChecks == null ? List.of() : disabledChecks);
        cpuCountOk = atLeast("cpu_count_ok", cpuCountOk, 4, 1);
        cpuCountWarn = atLeast("cpu_count_warn", cpuCountWarn, 2, 1);
        memoryOkGb = atLeast("memory_ok_gb", memoryOkGb, 16, 1);
        memoryWarnGb = atLeast("memory_warn_gb", memoryWarnGb, 8, 1);
        diskOkGb = atLeast("disk_ok_gb", diskOkGb, 100, 0);
        diskErrorGb = atLeast("disk_error_gb", diskErrorGb, 20, 0);
        reachabilityTargets = List.copyOf(reachabilityTargets == null ? List.of() : reachabilityTargets);
        dnsServers = List.copyOf(dnsServers == null ? List.of() : dnsServers);
        probeTimeout = positive("probe_timeout", probeTimeout, Duration.ofSeconds(2));
        bridge = bridge == null ? "br0" : bridge;
        requiredDirs = List.copyOf(requiredDirs == null ? List.of("isos", "disks", "xml", "vm_profiles") : requiredDirs);
        storagePool = storagePool == null ? "default" : storagePool;
        poolWarnPercent = atLeast("pool_warn_percent", poolWarnPercent, 80, 1);
        poolErrorPercent = atLeast("pool_error_percent", poolErrorPercent, 90, 1);
        diskSpeedTest = diskSpeedTest != null && diskSpeedTest;
        diskSpeedTestMb = atLeast("disk_speed_test_mb", diskSpeedTestMb, 100, 1);
        diskSpeedOkMbPerSecond = atLeast("disk_speed_ok_mb_per_second", diskSpeedOkMbPerSecond, 100, 1);
        // unset, the engine's own (HealthChecks fills it in): a daemon started with --config checks that file
        swappinessOk = atLeast("swappiness_ok", swappinessOk, 10, 0);
        swappinessInfo = atLeast("swappiness_info", swappinessInfo, 60, 0);
        backupMaxAge = positive("backup_max_age", backupMaxAge, Duration.ofHours(36));
        backupVerifyMaxAge = positive("backup_verify_max_age", backupVerifyMaxAge, Duration.ofDays(8));
        failedRunsError = atLeast("failed_runs_error", failedRunsError, 3, 1);
        staleTempAge = positive("stale_temp_age", staleTempAge, Duration.ofHours(1));
        prometheusTextfile = prometheusTextfile == null || prometheusTextfile;
        prometheusFile = prometheusFile == null ? Path.of("node-exporter/hyperops_health.prom") : prometheusFile;
        ordered("cpu_count_warn", cpuCountWarn, "cpu_count_ok", cpuCountOk);
        ordered("memory_warn_gb", memoryWarnGb, "memory_ok_gb", memoryOkGb);
        ordered("disk_error_gb", diskErrorGb, "disk_ok_gb", diskOkGb);
        ordered("pool_warn_percent", poolWarnPercent, "pool_error_percent", poolErrorPercent);
        ordered("swappiness_ok", swappinessOk, "swappiness_info", swappinessInfo);
    }

    /** Every setting at its default. */
    /** These settings, checking {@code file} when config_file is unset: the engine's own config file. */
    public HealthSettings withConfigFileOr(Path file)
    {
        if (configFile != null) {
            return this;
        }
        return new HealthSettings(checkTimeout, checkTimeouts, disabledChecks, cpuCountOk, cpuCountWarn, memoryOkGb, memoryWarnGb, diskOkGb, diskErrorGb, reachabilityTargets, dnsServers, probeTimeout, bridge, requiredDirs, storagePool, poolWarnPercent, poolErrorPercent, diskSpeedTest, diskSpeedTestMb, diskSpeedOkMbPerSecond, file, swappinessOk, swappinessInfo, backupMaxAge, backupVerifyMaxAge, failedRunsError, staleTempAge, prometheusTextfile, prometheusFile);
    }

    public static HealthSettings defaults()
    {
        return new HealthSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Duration timeoutOf(String check)
    {
        return checkTimeouts.getOrDefault(check, checkTimeout);
    }

    static Duration positive(String name, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero, was " + result);
        }
        return result;
    }

    static int atLeast(String name, Integer value, int fallback, int minimum)
    {
        int result = value == null ? fallback : value;
        if (result < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + result);
        }
        return result;
    }

    private static void ordered(String lowName, int low, String highName, int high)
    {
        if (low > high) {
            throw new IllegalArgumentException(lowName + " (" + low + ") must not be above " + highName + " (" + high + ")");
        }
    }
}
