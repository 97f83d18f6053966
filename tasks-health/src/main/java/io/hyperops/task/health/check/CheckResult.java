package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one check found.
 *
 * @param hint what to do about it, e.g. {@code systemctl start sshd}; present where the check fails
 */
public record CheckResult(CheckStatus status, String message, Optional<String> hint)
{
    public CheckResult
    {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
    }

    public static CheckResult ok(String message)
    {
        return new CheckResult(CheckStatus.OK, message, Optional.empty());
    }

    public static CheckResult info(String message)
    {
        return new CheckResult(CheckStatus.INFO, message, Optional.empty());
    }

    public static CheckResult info(String message, String hint)
    {
        return new CheckResult(CheckStatus.INFO, message, Optional.of(hint));
    }

    public static CheckResult warn(String message, String hint)
    {
        return new CheckResult(CheckStatus.WARN, message, Optional.of(hint));
    }

    public static CheckResult error(String message, String hint)
    {
        return new CheckResult(CheckStatus.ERROR, message, Optional.of(hint));
    }
}
