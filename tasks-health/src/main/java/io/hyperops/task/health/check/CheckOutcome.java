package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A check's result as run: with its name and how long it took. */
public record CheckOutcome(String name, CheckStatus status, String message, Optional<String> hint, Duration duration)
{
    public CheckOutcome
    {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(hint, "hint is null");
        requireNonNull(duration, "duration is null");
    }
}
