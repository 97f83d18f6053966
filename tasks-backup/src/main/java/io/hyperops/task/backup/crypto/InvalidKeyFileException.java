package io.hyperops.task.backup.crypto;

/**
 * A key file that cannot serve: missing, unreadable, not OpenPGP, or without a usable key. The message says
 * the fix. An {@link IllegalArgumentException}, so a settings record that checks its key file makes
 * {@code hyperops config check} report it at the setting's line and column.
 */
public final class InvalidKeyFileException
        extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public InvalidKeyFileException(String message)
    {
        super(message);
    }

    public InvalidKeyFileException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
