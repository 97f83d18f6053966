package io.hyperops.task.health;

import io.hyperops.spi.Description;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of the {@code metrics} job; a component left out of the config file takes its default. */
@Description("Writes a snapshot of the host and its VMs to metrics-<time>.json in the data folder and deletes old snapshots.")
public record MetricsSettings(
        @Description("How long a metrics file is kept. A file is deleted once the time in its name is older than this; default 7 days, as the seed's timer did.")
        Duration retention,
        @Description("Also write the figures as a Prometheus text file for node_exporter's textfile collector. Default true.")
        Boolean prometheusTextfile,
        @Description("Where the Prometheus text file goes; relative paths are under the data folder. Default node-exporter/hyperops_metrics.prom.")
        Path prometheusFile)
{
    private static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public MetricsSettings
    {
        if (retention == null) {
            retention = DEFAULT_RETENTION;
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be longer than zero, was " + retention + "; it is how long a metrics file is kept, e.g. 7 days");
        }
        prometheusTextfile = prometheusTextfile == null || prometheusTextfile;
        prometheusFile = prometheusFile == null ? Path.of("node-exporter/hyperops_metrics.prom") : prometheusFile;
    }

    public static MetricsSettings defaults()
    {
        return new MetricsSettings(null, null, null);
    }
}
