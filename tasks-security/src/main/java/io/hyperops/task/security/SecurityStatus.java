package io.hyperops.task.security;

import io.hyperops.spi.CheckStatus;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code security-status.json}: every finding with its severity, evidence and fix, and a score.
 *
 * @param overallStatus the worst finding, INFO counting as OK
 * @param score {@link #score(List)}
 */
public record SecurityStatus(String timestamp, String overallStatus, int score, int errors, int warnings, List<Entry> findings)
{
    /** Points one finding costs: an ERROR is an open door, a WARN a missing layer. */
    static final int ERROR_PENALTY = 25;
    static final int WARN_PENALTY = 10;

    public SecurityStatus
    {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(overallStatus, "overallStatus is null");
        findings = List.copyOf(requireNonNull(findings, "findings is null"));
    }

    /**
     * @param fix {@code null} where nothing needs doing
     */
    public record Entry(String id, String severity, String evidence, String fix)
    {
        public Entry
        {
            requireNonNull(id, "id is null");
            requireNonNull(severity, "severity is null");
            requireNonNull(evidence, "evidence is null");
        }
    }

    public static SecurityStatus of(String timestamp, List<Finding> findings)
    {
        List<Entry> entries = findings.stream()
                .map(finding -> new Entry(finding.id(), finding.severity().jsonName(), finding.evidence(), finding.fix().orElse(null)))
                .toList();
        return new SecurityStatus(timestamp, overall(findings).jsonName(), score(findings), count(findings, CheckStatus.ERROR),
                count(findings, CheckStatus.WARN), entries);
    }

    /** 100 less 25 per ERROR and 10 per WARN, never below 0; OK and INFO cost nothing. */
    public static int score(List<Finding> findings)
    {
        return Math.max(0, 100 - ERROR_PENALTY * count(findings, CheckStatus.ERROR) - WARN_PENALTY * count(findings, CheckStatus.WARN));
    }

    public static CheckStatus overall(List<Finding> findings)
    {
        CheckStatus worst = findings.stream().map(Finding::severity).reduce(CheckStatus.OK, CheckStatus::worst);
        return worst == CheckStatus.INFO ? CheckStatus.OK : worst;
    }

    private static int count(List<Finding> findings, CheckStatus severity)
    {
        return (int) findings.stream().filter(finding -> finding.severity() == severity).count();
    }
}
