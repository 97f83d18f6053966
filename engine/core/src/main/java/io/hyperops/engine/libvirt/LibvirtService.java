package io.hyperops.engine.libvirt;

import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import jakarta.inject.Inject;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The engine's one libvirt connection. Opened on first use (a host without libvirt can still run the
 * jobs that need none), re-opened after libvirtd restarts with exponential backoff so a dead daemon is
 * not hammered, and kept alive by libvirt's keepalive on one event-loop thread that also delivers
 * domain events.
 */
public final class LibvirtService
        implements LibvirtConnection, AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(LibvirtService.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> {};

    private final String uri;
    private final Clock clock;
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reconnector = Executors.newSingleThreadScheduledExecutor(runnable -> daemonThread(runnable, "hyperops-libvirt-reconnect"));

    private Connect connect;
    private Duration backoff = FIRST_BACKOFF;
    private Instant nextAttempt = Instant.MIN;
    private String lastError = "";
    private boolean eventLoopStarted;
    private boolean closed;

    @Inject
    public LibvirtService(CurrentConfig config, Clock clock)
    {
        this.uri = requireNonNull(config, "config is null").get().engine().libvirtUri();
        this.clock = requireNonNull(clock, "clock is null");
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
        Connect current = connection();
        try {
            return call.apply(current);
        }
        catch (LibvirtException e) {
            if (alive(current)) {
                throw e;
            }
            // The daemon went away under us (restart, upgrade): open a fresh connection and try once more.
            log.warn("libvirt connection to {} was lost ({}); reconnecting", uri, e.getMessage());
            drop(current);
            return call.apply(connection());
        }
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        listeners.add(listener);
        synchronized (this) {
            if (connect != null) {
                register(connect, listener);
            }
        }
        return () -> {
            listeners.remove(listener);
            synchronized (this) {
                if (connect != null) {
                    try {
                        connect.removeLifecycleListener(listener);
                    }
                    catch (LibvirtException e) {
                        log.debug("Removing a lifecycle listener failed: {}", e.getMessage());
                    }
                }
            }
        };
    }

    private synchronized Connect connection()
    {
        if (closed) {
            throw new LibvirtUnavailableException("the libvirt connection is closed: hyperops is shutting down", null);
        }
        if (connect != null && alive(connect)) {
            return connect;
        }
        if (connect != null) {
            drop(connect);
        }
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            throw unavailable("cannot connect to libvirt at " + uri + ": " + lastError + " (next attempt in " + Duration.between(now, nextAttempt).toSeconds() + " s)", null);
        }
        try {
            startEventLoop();
            Connect opened = new Connect(uri);
            keepAlive(opened);
            // Called on libvirt's event thread inside libvirt's own lock: hand over, never block there.
            opened.registerCloseListener((closedConnect, reason) -> reconnector.execute(() -> onClose(closedConnect, reason.name())));
            listeners.forEach(listener -> register(opened, listener));
            connect = opened;
            backoff = FIRST_BACKOFF;
            nextAttempt = Instant.MIN;
            log.info("Connected to libvirt at {}", uri);
            return opened;
        }
        catch (LibvirtException e) {
            lastError = e.getMessage();
            // from the failure, not from the attempt's start: a slow first attempt (loading libvirt, a
            // connect timing out) must not use up the back-off before it begins
            nextAttempt = clock.instant().plus(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            throw unavailable("cannot connect to libvirt at " + uri + ": " + e.getMessage() + ". Is libvirtd running? Start it with 'systemctl start libvirtd' (on a test machine: scripts/setup-testbed.sh), or set engine.libvirt_uri", e);
        }
        catch (LinkageError e) {
            lastError = "libvirt client library missing";
            throw unavailable("the libvirt client library (libvirt.so.0) is not installed: install it with 'apt-get install libvirt0' (" + e.getMessage() + ")", e);
        }
    }

    private static LibvirtUnavailableException unavailable(String message, Throwable cause)
    {
        return new LibvirtUnavailableException(message, cause);
    }

    // Keepalive and events both need libvirt's event loop running in some thread; this is that thread.
    private void startEventLoop()
            throws LibvirtException
    {
        if (eventLoopStarted) {
            return;
        }
        // libvirt prints every error to stderr by default; they reach the operator as exceptions instead.
        Connect.setErrorCallback(SILENT);
        Library.initEventLoop();
        Thread loop = daemonThread(() -> {
            try {
                Library.runEventLoop();
            }
            catch (LibvirtException e) {
                log.error("libvirt event loop stopped: {}", e.getMessage(), e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hyperops-libvirt-events");
        loop.start();
        eventLoopStarted = true;
    }

    private static void keepAlive(Connect opened)
    {
        try {
            opened.setKeepAlive(5, 3);
        }
        catch (LibvirtException e) {
            // Local drivers such as test:/// have no keepalive; nothing to detect there.
            log.debug("No keepalive on this connection: {}", e.getMessage());
        }
    }

    private void register(Connect target, LifecycleListener listener)
    {
        try {
            target.addLifecycleListener(listener);
        }
        catch (LibvirtException e) {
            log.warn("Cannot subscribe to domain events on {}: {}", uri, e.getMessage());
        }
    }

    private synchronized void onClose(Connect closedConnect, String reason)
    {
        log.warn("libvirt closed the connection to {} ({})", uri, reason);
        drop(closedConnect);
        if (!listeners.isEmpty() && !closed) {
            // Someone waits for events: reconnect in the background rather than at the next call.
            reconnector.schedule(this::reconnectForEvents, FIRST_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reconnectForEvents()
    {
        try {
            connection();
        }
        catch (LibvirtUnavailableException e) {
            long delay = Math.max(FIRST_BACKOFF.toMillis(), Duration.between(clock.instant(), nextAttemptSnapshot()).toMillis());
            if (!isClosed()) {
                reconnector.schedule(this::reconnectForEvents, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized Instant nextAttemptSnapshot()
    {
        return nextAttempt;
    }

    private synchronized boolean isClosed()
    {
        return closed;
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
            log.debug("Closing a dead libvirt connection: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        reconnector.shutdownNow();
        if (connect != null) {
            try {
                connect.close();
            }
            catch (LibvirtException e) {
                log.debug("Closing the libvirt connection: {}", e.getMessage());
            }
            connect = null;
        }
    }

    private static Thread daemonThread(Runnable runnable, String name)
    {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
