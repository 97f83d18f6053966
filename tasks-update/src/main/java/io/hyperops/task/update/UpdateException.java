package io.hyperops.task.update;

/** An update step that could not be done, or was refused; the message says why and what to do. */
public final class UpdateException
        extends Exception
{
    public UpdateException(String message)
    {
        super(message);
    }
}
