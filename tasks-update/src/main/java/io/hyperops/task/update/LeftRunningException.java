package io.hyperops.task.update;

/**
 * The run was interrupted (a shutdown, a time-out) while a step that changes the host ran, and the
 * step was left to finish rather than killed half-way: the update's outcome is not known yet.
 */
public final class LeftRunningException
        extends InterruptedException
{
    public LeftRunningException(String message)
    {
        super(message);
    }
}
