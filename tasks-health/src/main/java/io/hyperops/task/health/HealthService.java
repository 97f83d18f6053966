package io.hyperops.task.health;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.PrometheusText;
import io.hyperops.spi.TextFiles;
import io.hyperops.task.health.check.CheckOutcome;
import io.hyperops.task.health.check.CheckRunner;
import io.hyperops.task.health.check.HealthCheck;
import jakarta.inject.Inject;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One run of the {@code health} job: run every enabled check in parallel, write
 * {@code health-status.json} and the Prometheus text file, and end as the worst check: OK and INFO in
 * {@code success}, WARN in {@code warning}, ERROR in {@code failed} (exit codes 0, 1, 2, as the seed's).
 */
final class HealthService
{
    static final String STATUS_FILE = "health-status.json";

    private final HealthChecks checks;
    private final HostFiles host;
    private final HostPaths paths;
    private final JsonFiles jsonFiles;
    private final TextFiles textFiles;

    @Inject
    HealthService(HealthChecks checks, HostFiles host, HostPaths paths, JsonFiles jsonFiles, TextFiles textFiles)
    {
        this.textFiles = requireNonNull(textFiles, "textFiles is null");
        this.checks = requireNonNull(checks, "checks is null");
        this.host = requireNonNull(host, "host is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
    }

    JobResult check(HealthSettings settings, Clock clock, Logger log)
            throws IOException, InterruptedException
    {
        List<HealthCheck> all = checks.all(settings, clock);
        List<String> unknown = unknownNames(settings, all);
        if (!unknown.isEmpty()) {
            return JobResult.failed("unknown check name(s) " + String.join(", ", unknown) + " in disabled_checks or check_timeouts; known: "
                    + String.join(", ", all.stream().map(HealthCheck::name).toList()), Map.of("unknown_checks", unknown));
        }
        List<HealthCheck> enabled = all.stream().filter(check -> !settings.disabledChecks().contains(check.name())).toList();
        ZonedDateTime now = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
        long start = System.nanoTime();
        List<CheckOutcome> outcomes = CheckRunner.runAll(enabled, settings::timeoutOf);
        long wallMillis = (System.nanoTime() - start) / 1_000_000;

        HealthStatus status = HealthStatus.of(now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), new ProcFiles(host.path("/proc")).hostname(), outcomes);
        Files.createDirectories(paths.dataDir());
        Path file = paths.dataDir().resolve(STATUS_FILE);
        jsonFiles.write(file, status);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", file.toString());
        details.put("overall_status", status.overallStatus());
        details.put("wall_ms", wallMillis);
        if (settings.prometheusTextfile()) {
            Path textFile = paths.dataDir().resolve(settings.prometheusFile());
            textFiles.write(textFile, prometheus(status, outcomes, now).text());
            details.put("prometheus_file", textFile.toString());
        }
        for (CheckOutcome outcome : outcomes) {
            if (outcome.status() == CheckStatus.WARN || outcome.status() == CheckStatus.ERROR) {
                log.warn("{} {}: {}{}", outcome.status(), outcome.name(), outcome.message(), outcome.hint().map(hint -> " (fix: " + hint + ")").orElse(""));
            }
            else {
                log.info("{} {}: {}", outcome.status(), outcome.name(), outcome.message());
            }
        }
        return result(status, outcomes, details);
    }

    private static JobResult result(HealthStatus status, List<CheckOutcome> outcomes, Map<String, Object> details)
    {
        List<String> errors = names(outcomes, CheckStatus.ERROR);
        List<String> warnings = names(outcomes, CheckStatus.WARN);
        details.put("critical_errors", errors);
        details.put("warnings", warnings);
        String summary = status.overallStatus() + ": " + outcomes.size() + " checks, "
                + errors.size() + " error(s)" + (errors.isEmpty() ? "" : " (" + String.join(", ", errors) + ")") + ", "
                + warnings.size() + " warning(s)" + (warnings.isEmpty() ? "" : " (" + String.join(", ", warnings) + ")")
                + "; wrote " + STATUS_FILE;
        return switch (HealthStatus.overall(outcomes)) {
            case OK, INFO -> JobResult.success(summary, details);
            case WARN -> JobResult.warning(summary, details);
            case ERROR -> JobResult.failed(summary, details);
        };
    }

    private static List<String> names(List<CheckOutcome> outcomes, CheckStatus status)
    {
        return outcomes.stream().filter(outcome -> outcome.status() == status).map(CheckOutcome::name).toList();
    }

    private static List<String> unknownNames(HealthSettings settings, List<HealthCheck> all)
    {
        Set<String> known = new HashSet<>(all.stream().map(HealthCheck::name).toList());
        List<String> unknown = new ArrayList<>();
        settings.disabledChecks().stream().filter(name -> !known.contains(name)).forEach(unknown::add);
        settings.checkTimeouts().keySet().stream().filter(name -> !known.contains(name)).sorted().forEach(unknown::add);
        return unknown;
    }

    static PrometheusText prometheus(HealthStatus status, List<CheckOutcome> outcomes, ZonedDateTime time)
    {
        PrometheusText text = new PrometheusText();
        text.family("hyperops_health_check_status", "gauge", "Result of one health check: 0 OK, 1 INFO, 2 WARN, 3 ERROR.");
        outcomes.forEach(outcome -> text.sample("hyperops_health_check_status", Map.of("check", outcome.name()), outcome.status().ordinal()));
        text.family("hyperops_health_check_duration_seconds", "gauge", "How long one health check took.");
        outcomes.forEach(outcome -> text.sample("hyperops_health_check_duration_seconds", Map.of("check", outcome.name()), outcome.duration().toMillis() / 1000.0));
        text.family("hyperops_health_overall_status", "gauge", "Worst result of the last health run: 0 OK, 2 WARN, 3 ERROR.");
        text.sample("hyperops_health_overall_status", CheckStatus.valueOf(status.overallStatus()).ordinal());
        text.family("hyperops_health_critical_errors", "gauge", "Checks in ERROR in the last health run.");
        text.sample("hyperops_health_critical_errors", status.criticalErrors());
        text.family("hyperops_health_warnings", "gauge", "Checks in WARN in the last health run.");
        text.sample("hyperops_health_warnings", status.warnings());
        text.family("hyperops_health_last_run_timestamp_seconds", "gauge", "When the last health run took place, in Unix time.");
        text.sample("hyperops_health_last_run_timestamp_seconds", time.toEpochSecond());
        return text;
    }
}
