package io.hyperops.task.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hyperops.spi.CheckStatus;
import io.hyperops.task.health.check.CheckOutcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code health-status.json}: the seed's fields ({@code timestamp}, {@code hostname},
 * {@code overall_status}, {@code critical_errors}, {@code warnings}, {@code checks{name:{status,
 * message}}}), and per check the hint and duration the seed lacked. Written by Jackson, so any message
 * text is escaped, unlike the seed's string concatenation.
 *
 * @param overallStatus {@code OK}, {@code WARN} or {@code ERROR}: the worst check, INFO counting as OK
 */
public record HealthStatus(String timestamp, String hostname, String overallStatus, int criticalErrors, int warnings, Map<String, Entry> checks)
{
    public HealthStatus
    {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(overallStatus, "overallStatus is null");
        // kept in the order the checks were listed, which groups them as the seed did
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(checks, "checks is null")));
    }

    /**
     * @param hint what to do, {@code null} where nothing needs doing
     */
    public record Entry(String status, String message, @JsonInclude(JsonInclude.Include.ALWAYS) String hint, long durationMs)
    {
        public Entry
        {
            requireNonNull(status, "status is null");
            requireNonNull(message, "message is null");
        }
    }

    public static HealthStatus of(String timestamp, String hostname, List<CheckOutcome> outcomes)
    {
        Map<String, Entry> checks = new LinkedHashMap<>();
        int errors = 0;
        int warnings = 0;
        for (CheckOutcome outcome : outcomes) {
            checks.put(outcome.name(), new Entry(outcome.status().jsonName(), outcome.message(), outcome.hint().orElse(null), outcome.duration().toMillis()));
            if (outcome.status() == CheckStatus.ERROR) {
                errors++;
            }
            else if (outcome.status() == CheckStatus.WARN) {
                warnings++;
            }
        }
        return new HealthStatus(timestamp, hostname, overall(outcomes).jsonName(), errors, warnings, checks);
    }

    public static CheckStatus overall(List<CheckOutcome> outcomes)
    {
        CheckStatus worst = outcomes.stream().map(CheckOutcome::status).reduce(CheckStatus.OK, CheckStatus::worst);
        return worst == CheckStatus.INFO ? CheckStatus.OK : worst;
    }
}
