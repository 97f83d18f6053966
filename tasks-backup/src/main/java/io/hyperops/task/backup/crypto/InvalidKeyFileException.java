package io.hyperops.task.backup.crypto;

/** A key file that cannot serve: missing, unreadable, not OpenPGP, or without a usable key. The message says the fix. */
public final class InvalidKeyFileException
        extends RuntimeException
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
