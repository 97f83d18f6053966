package io.hyperops.spi;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a run reports back. Jobs end in {@code success}, {@code warning} or {@code failed}; the other
 * outcomes ({@code skipped}, {@code timed-out}, {@code interrupted}) are the engine's to give.
 *
 * @param details small structured facts for history and {@code --json} output (file written, counts, ...)
 */
public record JobResult(RunOutcome outcome, String summary, Map<String, Object> details)
{
    public JobResult
    {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(summary, "summary is null");
        details = Map.copyOf(requireNonNull(details, "details is null"));
        if (!outcome.isJobOutcome()) {
            throw new IllegalArgumentException("a job cannot end in '" + outcome.jsonName() + "'; that outcome is the engine's");
        }
    }

    public static JobResult success(String summary, Map<String, Object> details)
    {
        return new JobResult(RunOutcome.SUCCESS, summary, details);
    }

    public static JobResult warning(String summary, Map<String, Object> details)
    {
        return new JobResult(RunOutcome.WARNING, summary, details);
    }

    public static JobResult failed(String summary, Map<String, Object> details)
    {
        return new JobResult(RunOutcome.FAILED, summary, details);
    }
}
