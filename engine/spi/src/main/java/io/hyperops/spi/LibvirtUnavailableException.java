package io.hyperops.spi;

/** libvirt cannot be used: the client library is missing or the daemon does not answer. */
public final class LibvirtUnavailableException
        extends RuntimeException
{
    public LibvirtUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
