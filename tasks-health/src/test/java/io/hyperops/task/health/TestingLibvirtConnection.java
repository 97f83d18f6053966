package io.hyperops.task.health;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

import static java.util.Objects.requireNonNull;

/**
 * A {@link LibvirtConnection} over libvirt's built-in test driver: the real client library, no daemon,
 * and a default host with one running domain named {@code test}. Two more states stand for a host whose
 * libvirt does not answer and for a connection that breaks during a call.
 */
public final class TestingLibvirtConnection
        implements LibvirtConnection
{
    public static final String TEST_DRIVER = "test:///default";

    private enum State
    {
        WORKING, UNAVAILABLE, BROKEN
    }

    private final State state;
    private final String unavailableMessage;

    private TestingLibvirtConnection(State state, String unavailableMessage)
    {
        this.state = requireNonNull(state, "state is null");
        this.unavailableMessage = requireNonNull(unavailableMessage, "unavailableMessage is null");
    }

    public static TestingLibvirtConnection testDriver()
    {
        return new TestingLibvirtConnection(State.WORKING, "");
    }

    /** Every call throws {@link LibvirtUnavailableException} with this message, as the engine's connection does when libvirtd is down. */
    public static TestingLibvirtConnection unavailable(String message)
    {
        return new TestingLibvirtConnection(State.UNAVAILABLE, message);
    }

    /** Every call gets a connection that was closed underneath it, so libvirt itself reports the error. */
    static TestingLibvirtConnection broken()
    {
        return new TestingLibvirtConnection(State.BROKEN, "");
    }

    @Override
    public String uri()
    {
        return TEST_DRIVER;
    }

    @Override
    public <T> T call(LibvirtCall<T> call)
            throws LibvirtException
    {
        if (state == State.UNAVAILABLE) {
            throw new LibvirtUnavailableException(unavailableMessage, null);
        }
        // libvirt prints every error to stderr unless a handler is set; the caller gets them as exceptions anyway
        Connect.setErrorCallback(new ErrorCallback());
        Connect connect = new Connect(TEST_DRIVER, true);
        try {
            if (state == State.BROKEN) {
                connect.close();
            }
            return call.apply(connect);
        }
        finally {
            connect.close();
        }
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        throw new UnsupportedOperationException("TestingLibvirtConnection delivers no domain events");
    }
}
