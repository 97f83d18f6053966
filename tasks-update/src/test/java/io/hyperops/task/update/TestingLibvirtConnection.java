package io.hyperops.task.update;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

import static java.util.Objects.requireNonNull;

/**
 * A read-only {@link LibvirtConnection}: libvirt's built-in test driver (no daemon, one running domain
 * named {@code test}), the real daemon at {@code qemu:///system}, or a libvirt that does not answer.
 * Each call opens its own connection; the gate only lists running guests.
 */
final class TestingLibvirtConnection
        implements LibvirtConnection
{
    static final String TEST_DRIVER = "test:///default";
    static final String SYSTEM = "qemu:///system";

    private final String uri;
    private volatile boolean available;

    private TestingLibvirtConnection(String uri, boolean available)
    {
        this.uri = requireNonNull(uri, "uri is null");
        this.available = available;
    }

    static TestingLibvirtConnection testDriver()
    {
        return new TestingLibvirtConnection(TEST_DRIVER, true);
    }

    static TestingLibvirtConnection system()
    {
        return new TestingLibvirtConnection(SYSTEM, true);
    }

    /** From now on every call throws as the engine's connection does when libvirtd is down. */
    void stopAnswering()
    {
        available = false;
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
        if (!available) {
            throw new LibvirtUnavailableException("libvirtd does not answer (test)", null);
        }
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
        throw new UnsupportedOperationException("the update task listens for no domain events");
    }
}
