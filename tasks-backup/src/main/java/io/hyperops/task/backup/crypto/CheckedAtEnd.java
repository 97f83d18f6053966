package io.hyperops.task.backup.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Plaintext whose integrity is known only once all of it has been read (OpenPGP's MDC, gpg's exit
 * status): reaching the end runs {@link #checkAtEnd()} once, and a failed check is thrown there, so
 * no reader can take a damaged archive's end for a good one.
 */
abstract class CheckedAtEnd
        extends FilterInputStream
{
    private boolean checked;

    CheckedAtEnd(InputStream in)
    {
        super(in);
    }

    /** @throws IOException when the plaintext read is not what was encrypted */
    abstract void checkAtEnd()
            throws IOException;

    @Override
    public int read()
            throws IOException
    {
        int value = super.read();
        if (value < 0) {
            checkOnce();
        }
        return value;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        int read = super.read(bytes, offset, length);
        if (read < 0) {
            checkOnce();
        }
        return read;
    }

    private void checkOnce()
            throws IOException
    {
        if (!checked) {
            checkAtEnd();
            checked = true;
        }
    }
}
