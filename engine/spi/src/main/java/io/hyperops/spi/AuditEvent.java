package io.hyperops.spi;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One audited action.
 *
 * @param action what was done, dotted: {@code vm.restart}, {@code vm.recovery.given-up}, {@code update.rollback}
 * @param target what it was done to: a guest's name, a job, a file
 * @param outcome {@code success}, {@code failed}, {@code refused}, ...
 * @param details small facts worth keeping (reason, counts, run id)
 */
public record AuditEvent(String action, String target, String outcome, Map<String, Object> details)
{
    public AuditEvent
    {
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
        details = Map.copyOf(requireNonNull(details, "details is null"));
    }
}
