package io.hyperops.spi;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Every check of one pre-flight run; it passes when none is ERROR. */
public record PreflightReport(String operation, List<Check> checks)
{
    public PreflightReport
    {
        requireNonNull(operation, "operation is null");
        checks = List.copyOf(requireNonNull(checks, "checks is null"));
    }

    public boolean passed()
    {
        return status() != CheckStatus.ERROR;
    }

    public CheckStatus status()
    {
        return checks.stream().map(Check::status).reduce(CheckStatus.OK, CheckStatus::worst);
    }

    /**
     * @param fix what to do about it, e.g. "Free up space with: hyperops run-job storage-cleanup"
     */
    public record Check(String name, CheckStatus status, String message, Optional<String> fix)
    {
        public Check
        {
            requireNonNull(name, "name is null");
            requireNonNull(status, "status is null");
            requireNonNull(message, "message is null");
            requireNonNull(fix, "fix is null");
        }
    }
}
