package io.hyperops.spi;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

/**
 * The host's libvirt connection, owned by the engine: connected on first use, reconnected with backoff
 * after libvirtd restarts, with one event-loop thread for domain events.
 */
public interface LibvirtConnection
{
    /** The URI from the config file, e.g. {@code qemu:///system}. */
    String uri();

    /**
     * Runs {@code call} with a live connection. A broken connection is re-opened and the call retried
     * once, so the call may run twice: keep calls that change things (start, create, snapshot) small
     * and check state before acting, or make them idempotent.
     *
     * @throws LibvirtUnavailableException when libvirt is not installed or the daemon does not answer;
     *         its message says what to do
     */
    <T> T call(LibvirtCall<T> call)
            throws LibvirtException;

    /**
     * Delivers domain lifecycle events (started, stopped, crashed, ...) on the engine's event thread,
     * across reconnects, until the returned handle is closed.
     */
    AutoCloseable addLifecycleListener(LifecycleListener listener);

    @FunctionalInterface
    interface LibvirtCall<T>
    {
        T apply(Connect connect)
                throws LibvirtException;
    }
}
