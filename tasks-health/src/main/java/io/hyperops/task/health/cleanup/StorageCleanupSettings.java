package io.hyperops.task.health.cleanup;

import io.hyperops.spi.Description;

import java.time.Duration;

/** Settings of the {@code storage-cleanup} job. */
@Description("Deletes old logs, leftover partial downloads and temporary files, and old metrics; when free space is below min_free_gb it frees more, in a fixed order.")
public record StorageCleanupSettings(
        @Description("Log files under the log folder older than this are deleted. Default 90d, as the seed's timer.")
        Duration logRetention,
        @Description("'.partial-*' and '*.tmp' files under the data folder older than this are deleted. Default 1d.")
        Duration partialRetention,
        @Description("metrics-*.json files dated before this are deleted. Default: the metrics job's own retention (7d unless set there), so the two never disagree.")
        Duration metricsRetention,
        @Description("Free space (GB) on the data folder's file system under which the job frees more: run logs, then metrics, then backups beyond their retention. Default 20.")
        Integer minFreeGb,
        @Description("When space is low: run logs older than this go first. Default 14d.")
        Duration pressureLogRetention,
        @Description("When space is low: metrics files older than this go next. Default 1d.")
        Duration pressureMetricsRetention,
        @Description("When space is low: backups older than this are beyond their retention. Default 30d, the seed's RETENTION_DAYS.")
        Duration backupRetention,
        @Description("When space is low: backups of a VM beyond its newest this many are beyond their retention. Default 5, the seed's MAX_BACKUPS_PER_VM.")
        Integer backupKeepPerVm,
        @Description("Report what would be deleted, delete nothing. Default false.")
        Boolean dryRun)
{
    public StorageCleanupSettings
    {
        logRetention = positive("log_retention", logRetention, Duration.ofDays(90));
        partialRetention = positive("partial_retention", partialRetention, Duration.ofDays(1));
        // none: the metrics job's retention, read at each run
        metricsRetention = metricsRetention == null ? null : positive("metrics_retention", metricsRetention, metricsRetention);
        minFreeGb = minFreeGb == null ? 20 : minFreeGb;
        pressureLogRetention = positive("pressure_log_retention", pressureLogRetention, Duration.ofDays(14));
        pressureMetricsRetention = positive("pressure_metrics_retention", pressureMetricsRetention, Duration.ofDays(1));
        backupRetention = positive("backup_retention", backupRetention, Duration.ofDays(30));
        backupKeepPerVm = backupKeepPerVm == null ? 5 : backupKeepPerVm;
        dryRun = dryRun != null && dryRun;
        if (minFreeGb < 0) {
            throw new IllegalArgumentException("min_free_gb must not be negative, was " + minFreeGb);
        }
        if (backupKeepPerVm < 1) {
            throw new IllegalArgumentException("backup_keep_per_vm must be at least 1, was " + backupKeepPerVm + "; the newest good backup of a VM is never deleted anyway");
        }
    }

    public static StorageCleanupSettings defaults()
    {
        return new StorageCleanupSettings(null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(String name, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero, was " + result);
        }
        return result;
    }
}
