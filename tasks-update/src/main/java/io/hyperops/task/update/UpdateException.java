package io.hyperops.task.update;

import java.util.Optional;

/**
 * An update step that could not be done, or was refused; the message says why and what to do. A step
 * that failed half-way (a NixOS switch that activated the new generation, then failed) carries what
 * its rollback needs, so the update rolls it back with the rest.
 */
public final class UpdateException
        extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient AppliedStep partlyApplied;

    public UpdateException(String message)
    {
        this(message, null);
    }

    public UpdateException(String message, AppliedStep partlyApplied)
    {
        super(message);
        this.partlyApplied = partlyApplied;
    }

    /** What the failed step changed all the same, to be rolled back; empty when it changed nothing. */
    public Optional<AppliedStep> partlyApplied()
    {
        return Optional.ofNullable(partlyApplied);
    }
}
