package io.hyperops.task.health.preflight;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.PreflightReport.Check;
import io.hyperops.spi.PreflightReport;

import java.util.List;
import java.util.Locale;

/** A pre-flight report for people (every check, then the fixes) and for scripts (JSON). */
final class PreflightText
{
    private PreflightText() {}

    static String text(PreflightReport report)
    {
        StringBuilder text = new StringBuilder("Pre-flight checks for ").append(report.operation()).append(":\n");
        for (Check check : report.checks()) {
            text.append(String.format(Locale.ROOT, "  %-7s %s: %s%n", "[" + check.status() + "]", check.name(), check.message()));
            if (check.status() == CheckStatus.WARN || check.status() == CheckStatus.ERROR) {
                check.fix().ifPresent(fix -> text.append("          ").append(fix).append('\n'));
            }
        }
        List<Check> failing = report.checks().stream().filter(check -> check.status() == CheckStatus.WARN || check.status() == CheckStatus.ERROR).toList();
        text.append(String.format(Locale.ROOT, "Summary: %d checks, %d OK, %d INFO, %d WARN, %d ERROR: %s%n",
                report.checks().size(), count(report, CheckStatus.OK), count(report, CheckStatus.INFO), count(report, CheckStatus.WARN), count(report, CheckStatus.ERROR),
                report.passed() ? (failing.isEmpty() ? "ready" : "ready, with warnings") : "not ready"));
        if (!failing.isEmpty()) {
            text.append("To fix:\n");
            for (Check check : failing) {
                text.append("  - ").append(check.name()).append(" (").append(check.status()).append("): ").append(check.message()).append('\n');
                check.fix().ifPresent(fix -> text.append("    ").append(fix).append('\n'));
            }
        }
        return text.toString();
    }

    static String json(PreflightReport report)
    {
        StringBuilder json = new StringBuilder("{\n  \"operation\": ").append(quote(report.operation()))
                .append(",\n  \"status\": ").append(quote(report.status().jsonName()))
                .append(",\n  \"passed\": ").append(report.passed())
                .append(",\n  \"checks\": [");
        String separator = "\n";
        for (Check check : report.checks()) {
            json.append(separator).append("    {\"name\": ").append(quote(check.name()))
                    .append(", \"status\": ").append(quote(check.status().jsonName()))
                    .append(", \"message\": ").append(quote(check.message()))
                    .append(", \"fix\": ").append(check.fix().map(PreflightText::quote).orElse("null"))
                    .append('}');
            separator = ",\n";
        }
        return json.append("\n  ]\n}\n").toString();
    }

    private static long count(PreflightReport report, CheckStatus status)
    {
        return report.checks().stream().filter(check -> check.status() == status).count();
    }

    /** A JSON string: quotes, backslashes and every control character escaped. */
    static String quote(String value)
    {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
