package io.hyperops.task.security;

import io.hyperops.spi.LibvirtConnection;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

import static java.util.Objects.requireNonNull;

/**
 * A {@link LibvirtConnection} that opens a real connection to {@code uri} for each call: libvirt's
 * built-in test driver for wiring tests, {@code qemu:///system} for tests against the real daemon.
 */
public final class TestingLibvirtConnection
        implements LibvirtConnection
{
    public static final String TEST_DRIVER = "test:///default";

    private final String uri;

    public TestingLibvirtConnection(String uri)
    {
        this.uri = requireNonNull(uri, "uri is null");
    }

    @Override
    public String uri()
    {
        return uri;
    }

    @Override
    public <T> T call(LibvirtCall<T> call)
            throws LibvirtException
    {
        // libvirt prints every error to stderr unless a handler is set; the caller gets them as exceptions anyway
        Connect.setErrorCallback(new ErrorCallback());
        Connect connect = new Connect(uri, true);
        try {
            return call.apply(connect);
        }
        finally {
            connect.close();
        }
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        throw new UnsupportedOperationException("the security task listens for no events");
    }
}
