package io.hyperops.task.update;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One provider's applied update, kept in the update's state so that it can be rolled back by the
 * health gate or later by {@code hyperops update rollback}, from another process.
 *
 * @param rollback what the provider needs to undo it, e.g. {@code previous_commit}
 */
public record AppliedStep(String provider, String type, String summary, Map<String, String> rollback)
{
    public AppliedStep
    {
        requireNonNull(provider, "provider is null");
        requireNonNull(type, "type is null");
        requireNonNull(summary, "summary is null");
        rollback = Map.copyOf(requireNonNull(rollback, "rollback is null"));
    }

    /** Set in a planned step whose provider's rollback cannot undo an apply stopped half-way. */
    public static final String PARTIAL_ROLLBACK = "partial_rollback";

    /** Whether its rollback also undoes an apply that was cut off or failed half-way. */
    public static boolean undoesPartial(AppliedStep step)
    {
        return !"false".equals(step.rollback().get(PARTIAL_ROLLBACK));
    }
}
