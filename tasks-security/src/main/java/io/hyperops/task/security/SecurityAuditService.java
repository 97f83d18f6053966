package io.hyperops.task.security;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.PrometheusText;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TextFiles;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One run of {@code security-audit}: every enabled check in turn, {@code security-status.json} and the
 * Prometheus text file, and an outcome that follows the worst finding: OK and INFO {@code success},
 * WARN {@code warning}, ERROR {@code failed}. A check that throws is an ERROR finding of its own, so
 * one broken check never hides the others.
 */
final class SecurityAuditService
{
    static final String STATUS_FILE = "security-status.json";

    private final SecurityChecks checks;
    private final HostPaths paths;
    private final JsonFiles jsonFiles;
    private final TextFiles textFiles;

    @Inject
    SecurityAuditService(SecurityChecks checks, HostPaths paths, JsonFiles jsonFiles, TextFiles textFiles)
    {
        this.textFiles = requireNonNull(textFiles, "textFiles is null");
        this.checks = requireNonNull(checks, "checks is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
    }

    JobResult audit(SecurityAuditSettings settings, RunContext context)
            throws IOException, InterruptedException
    {
        List<SecurityCheck> all = checks.all(settings, context.clock());
        Set<String> known = new HashSet<>(all.stream().map(SecurityCheck::id).toList());
        List<String> unknown = settings.disabledChecks().stream().filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            return JobResult.failed("unknown check id(s) " + String.join(", ", unknown) + " in disabled_checks; known: "
                    + String.join(", ", all.stream().map(SecurityCheck::id).toList()), Map.of("unknown_checks", unknown));
        }
        List<SecurityCheck> enabled = all.stream().filter(check -> !settings.disabledChecks().contains(check.id())).toList();
        List<Finding> findings = new ArrayList<>();
        for (SecurityCheck check : enabled) {
            context.checkCancelled();
            context.progress(check.id(), findings.size(), enabled.size());
            Finding finding = run(check, context);
            log(finding, context);
            findings.add(finding);
        }
        ZonedDateTime now = ZonedDateTime.now(context.clock()).truncatedTo(ChronoUnit.SECONDS);
        SecurityStatus status = SecurityStatus.of(now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), findings);
        Files.createDirectories(paths.dataDir());
        Path file = paths.dataDir().resolve(STATUS_FILE);
        jsonFiles.write(file, status);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", file.toString());
        details.put("overall_status", status.overallStatus());
        details.put("score", status.score());
        if (settings.prometheusTextfile()) {
            Path textFile = paths.dataDir().resolve(settings.prometheusFile());
            textFiles.write(textFile, prometheus(status, findings, now).text());
            details.put("prometheus_file", textFile.toString());
        }
        List<String> errors = ids(findings, CheckStatus.ERROR);
        List<String> warnings = ids(findings, CheckStatus.WARN);
        details.put("errors", errors);
        details.put("warnings", warnings);
        String summary = status.overallStatus() + ", score " + status.score() + ": " + findings.size() + " checks, "
                + errors.size() + " error(s)" + (errors.isEmpty() ? "" : " (" + String.join(", ", errors) + ")") + ", "
                + warnings.size() + " warning(s)" + (warnings.isEmpty() ? "" : " (" + String.join(", ", warnings) + ")")
                + "; wrote " + STATUS_FILE;
        return switch (SecurityStatus.overall(findings)) {
            case OK, INFO -> JobResult.success(summary, details);
            case WARN -> JobResult.warning(summary, details);
            case ERROR -> JobResult.failed(summary, details);
        };
    }

    private static Finding run(SecurityCheck check, RunContext context)
            throws InterruptedException
    {
        try {
            return check.body().run();
        }
        catch (InterruptedException e) {
            throw e;
        }
        catch (Exception e) {
            context.log().warn("security check {} failed", check.id(), e);
            return new Finding(check.id(), CheckStatus.ERROR, "the check could not run: " + e.getMessage(),
                    Optional.of("See the run's log (hyperops logs --job security-audit) for the cause, fix it and run the audit again"));
        }
    }

    private static void log(Finding finding, RunContext context)
    {
        if (finding.severity() == CheckStatus.WARN || finding.severity() == CheckStatus.ERROR) {
            context.log().warn("{} {}: {} (fix: {})", finding.severity(), finding.id(), finding.evidence(), finding.fix().orElse(""));
        }
        else {
            context.log().info("{} {}: {}", finding.severity(), finding.id(), finding.evidence());
        }
    }

    private static List<String> ids(List<Finding> findings, CheckStatus severity)
    {
        return findings.stream().filter(finding -> finding.severity() == severity).map(Finding::id).toList();
    }

    static PrometheusText prometheus(SecurityStatus status, List<Finding> findings, ZonedDateTime time)
    {
        PrometheusText text = new PrometheusText();
        text.family("hyperops_security_check_status", "gauge", "Result of one security check: 0 OK, 1 INFO, 2 WARN, 3 ERROR.");
        findings.forEach(finding -> text.sample("hyperops_security_check_status", Map.of("check", finding.id()), finding.severity().ordinal()));
        text.family("hyperops_security_score", "gauge", "Security posture score 0-100: 100 less 25 per ERROR and 10 per WARN.");
        text.sample("hyperops_security_score", status.score());
        text.family("hyperops_security_overall_status", "gauge", "Worst finding of the last audit: 0 OK, 2 WARN, 3 ERROR.");
        text.sample("hyperops_security_overall_status", CheckStatus.valueOf(status.overallStatus()).ordinal());
        text.family("hyperops_security_last_run_timestamp_seconds", "gauge", "When the last security audit ran, in Unix time.");
        text.sample("hyperops_security_last_run_timestamp_seconds", time.toEpochSecond());
        return text;
    }
}
