package io.hyperops.task.health;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A {@link LibvirtConnection} to the real daemon, as the engine's: one event-loop thread, keepalive,
 * listeners registered again after a reconnect, and a reconnect in the background when libvirtd closes
 * the connection (a restart) while someone listens. tasks-health cannot use the engine's own class.
 */
public final class SystemLibvirtConnection
        implements LibvirtConnection, AutoCloseable
{
    public static final String URI = "qemu:///system";

    private static boolean eventLoopStarted;

    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-libvirt-reconnect");
        thread.setDaemon(true);
        return thread;
    });
    private Connect connect;
    private boolean closed;

    @Override
    public String uri()
    {
        return URI;
    }

    @Override
    public <T> T call(LibvirtCall<T> call)
            throws LibvirtException
    {
        Connect current = connection();
        try {
            return call.apply(current);
        }
        catch (LibvirtException e) {
            if (alive(current)) {
                throw e;
            }
            drop(current);
            return call.apply(connection());
        }
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        listeners.add(listener);
        synchronized (this) {
            register(connection(), listener);
        }
        return () -> {
            listeners.remove(listener);
            synchronized (this) {
                if (connect != null) {
                    connect.removeLifecycleListener(listener);
                }
            }
        };
    }

    private synchronized Connect connection()
    {
        if (closed) {
            throw new LibvirtUnavailableException("the connection is closed", null);
        }
        if (connect != null && alive(connect)) {
            return connect;
        }
        if (connect != null) {
            drop(connect);
        }
        try {
            startEventLoop();
            Connect opened = new Connect(URI);
            opened.setKeepAlive(5, 3);
            opened.registerCloseListener((closedConnect, reason) -> onClose());
            for (LifecycleListener listener : listeners) {
                register(opened, listener);
            }
            connect = opened;
            return opened;
        }
        catch (LibvirtException e) {
            throw new LibvirtUnavailableException("libvirtd does not answer on " + URI + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void startEventLoop()
            throws LibvirtException
    {
        if (eventLoopStarted) {
            return;
        }
        Library.initEventLoop();
        Thread loop = new Thread(() -> {
            try {
                Library.runEventLoop();
            }
            catch (LibvirtException e) {
                throw new IllegalStateException("libvirt event loop stopped", e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-libvirt-events");
        loop.setDaemon(true);
        loop.start();
        eventLoopStarted = true;
    }

    private static void register(Connect target, LifecycleListener listener)
    {
        try {
            target.addLifecycleListener(listener);
        }
        catch (LibvirtException e) {
            throw new IllegalStateException("cannot subscribe to domain events: " + e.getMessage(), e);
        }
    }

    private synchronized void onClose()
    {
        connect = null;
        if (!closed && !listeners.isEmpty()) {
            reconnector.schedule(this::reconnect, 500, TimeUnit.MILLISECONDS);
        }
    }

    private void reconnect()
    {
        try {
            connection();
        }
        catch (LibvirtUnavailableException e) {
            synchronized (this) {
                if (!closed) {
                    reconnector.schedule(this::reconnect, 500, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private static boolean alive(Connect candidate)
    {
        try {
            return candidate.isAlive();
        }
        catch (LibvirtException e) {
            return false;
        }
    }

    private synchronized void drop(Connect stale)
    {
        if (connect == stale) {
            connect = null;
        }
        try {
            stale.close();
        }
        catch (LibvirtException e) {
            // already broken
        }
    }

    @Override
    public synchronized void close()
            throws LibvirtException
    {
        closed = true;
        reconnector.shutdownNow();
        if (connect != null) {
            connect.close();
            connect = null;
        }
    }

    static SystemLibvirtConnection open()
    {
        SystemLibvirtConnection connection = new SystemLibvirtConnection();
        requireNonNull(connection.connection(), "connection");
        return connection;
    }
}
