package io.hyperops.engine.systemd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Pets systemd's watchdog ({@code WatchdogSec=}) at half its interval, but only while the scheduler is
 * healthy: a wedged scheduler stops the pets, and systemd restarts the service.
 */
public final class Watchdog
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private Watchdog() {}

    /** Starts petting if systemd asked for it ({@code WATCHDOG_USEC}, for this process). */
    public static Optional<Watchdog> start(SystemdNotifier notifier, BooleanSupplier healthy)
    {
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return Optional.empty();
        }
        return Optional.of(start(notifier, healthy, Duration.ofNanos(Long.parseLong(usec) * 1000 / 2)));
    }

    static Watchdog start(SystemdNotifier notifier, BooleanSupplier healthy, Duration interval)
    {
        Watchdog watchdog = new Watchdog();
        watchdog.timer.scheduleAtFixedRate(() -> {
            if (healthy.getAsBoolean()) {
                notifier.send("WATCHDOG=1");
            }
            else {
                log.warn("Scheduler is not healthy: not petting the systemd watchdog");
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Petting the systemd watchdog every {} ms while the scheduler is healthy", interval.toMillis());
        return watchdog;
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
