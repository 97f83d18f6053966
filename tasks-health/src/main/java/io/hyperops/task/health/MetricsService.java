package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.PrometheusText;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.TextFiles;
import io.hyperops.task.health.MetricsSnapshot.Vms;
import jakarta.inject.Inject;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One run of the {@code metrics} job: take a snapshot, write it, delete the expired ones. Ends in
 * {@code warning} when the file lacks VM counts or an old file could not be deleted, since the host
 * figures were still written.
 */
final class MetricsService
{
    private final MetricsCollector collector;
    private final MetricsStore store;
    private final HostPaths paths;
    private final TextFiles textFiles;

    @Inject
    MetricsService(MetricsCollector collector, MetricsStore store, HostPaths paths, TextFiles textFiles)
    {
        this.textFiles = requireNonNull(textFiles, "textFiles is null");
        this.collector = requireNonNull(collector, "collector is null");
        this.store = requireNonNull(store, "store is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** File names and the timestamp use {@code clock}'s zone, which the engine sets to the host's. */
    JobResult record(MetricsSettings settings, Clock clock, Logger log)
            throws IOException
    {
        ZonedDateTime now = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
        store.createFolder();
        MetricsCollector.Reading reading = collector.collect(now.toOffsetDateTime());
        Path file = store.write(now, reading.snapshot());
        log.info("Wrote {}", file);

        ZonedDateTime cutoff = now.minus(settings.retention());
        MetricsStore.Removal removal = store.deleteOlderThan(cutoff.toInstant(), now.getZone());
        removal.removed().forEach(removed -> log.info("Deleted {}, dated before {}", removed, cutoff));

        if (settings.prometheusTextfile()) {
            Path textFile = paths.dataDir().resolve(settings.prometheusFile());
            textFiles.write(textFile, prometheus(reading.snapshot(), now).text());
            log.info("Wrote {}", textFile);
        }

        JobResult result = result(file, reading, removal, cutoff);
        if (result.outcome() != RunOutcome.SUCCESS) {
            log.warn(result.summary());
        }
        return result;
    }

    static PrometheusText prometheus(MetricsSnapshot snapshot, ZonedDateTime time)
    {
        PrometheusText text = new PrometheusText();
        text.family("hyperops_host_cpus", "gauge", "Logical processors of the host.");
        text.sample("hyperops_host_cpus", snapshot.cpu().total());
        text.family("hyperops_host_load_average", "gauge", "Kernel load average over 1, 5 and 15 minutes.");
        List<String> periods = List.of("1m", "5m", "15m");
        for (int i = 0; i < periods.size(); i++) {
            text.sample("hyperops_host_load_average", Map.of("period", periods.get(i)), snapshot.cpu().loadAvg().get(i));
        }
        text.family("hyperops_host_memory_megabytes", "gauge", "Host memory in MB: total, available, used.");
        text.sample("hyperops_host_memory_megabytes", Map.of("kind", "total"), snapshot.memory().totalMb());
        text.sample("hyperops_host_memory_megabytes", Map.of("kind", "available"), snapshot.memory().availableMb());
        text.sample("hyperops_host_memory_megabytes", Map.of("kind", "used"), snapshot.memory().usedMb());
        text.family("hyperops_data_disk_gigabytes", "gauge", "The data folder's file system in GB: total, used, available.");
        text.sample("hyperops_data_disk_gigabytes", Map.of("kind", "total"), snapshot.disk().totalGb());
        text.sample("hyperops_data_disk_gigabytes", Map.of("kind", "used"), snapshot.disk().usedGb());
        text.sample("hyperops_data_disk_gigabytes", Map.of("kind", "available"), snapshot.disk().availableGb());
        text.family("hyperops_data_disk_used_percent", "gauge", "Used share of the data folder's file system, as df counts it.");
        text.sample("hyperops_data_disk_used_percent", snapshot.disk().usedPercent());
        Vms vms = snapshot.vms();
        if (vms != null) {
            text.family("hyperops_vms", "gauge", "Guests defined in libvirt, by state.");
            text.sample("hyperops_vms", Map.of("state", "running"), vms.running());
            text.sample("hyperops_vms", Map.of("state", "stopped"), vms.stopped());
        }
        text.family("hyperops_metrics_last_run_timestamp_seconds", "gauge", "When the last metrics run took place, in Unix time.");
        text.sample("hyperops_metrics_last_run_timestamp_seconds", time.toEpochSecond());
        return text;
    }

    private static JobResult result(Path file, MetricsCollector.Reading reading, MetricsStore.Removal removal, ZonedDateTime cutoff)
    {
        Map<String, Object> details = new HashMap<>();
        details.put("file", file.toString());
        details.put("removed", removal.removed().size());
        StringBuilder summary = new StringBuilder("wrote ").append(file.getFileName());
        Vms vms = reading.snapshot().vms();
        if (vms != null) {
            details.put("vms", Map.of("total", vms.total(), "running", vms.running(), "stopped", vms.stopped()));
            summary.append(" (VMs: ").append(vms.total()).append(", ")
                    .append(vms.running()).append(" running, ")
                    .append(vms.stopped()).append(" stopped)");
        }
        summary.append("; deleted ").append(removal.removed().size())
                .append(" dated before ").append(cutoff.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));

        List<String> problems = new ArrayList<>();
        reading.vmProblem().ifPresent(problem -> {
            details.put("libvirt_problem", problem);
            problems.add("no VM counts: " + problem);
        });
        if (!removal.failures().isEmpty()) {
            details.put("delete_failures", removal.failures());
            problems.addAll(removal.failures());
        }
        if (problems.isEmpty()) {
            return JobResult.success(summary.toString(), details);
        }
        return JobResult.warning(summary + "; " + String.join("; ", problems), details);
    }
}
