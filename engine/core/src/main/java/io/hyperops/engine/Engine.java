package io.hyperops.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.control.ControlServer;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.libvirt.LibvirtService;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.run.ActiveRun;
import io.hyperops.engine.run.EngineRunContext;
import io.hyperops.engine.run.RunThreads;
import io.hyperops.engine.run.RunCoordinator;
import io.hyperops.engine.run.RunExecutor;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import io.hyperops.engine.scheduler.ConfigWatcher;
import io.hyperops.engine.scheduler.JobScheduler;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;
import io.hyperops.spi.Trigger;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One engine: the injector with every task's bindings, and the lifecycle around it. Started services
 * are stopped in reverse order; at shutdown running jobs get {@code shutdown_grace}, then an interrupt.
 */
public final class Engine
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private final Injector injector;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile Instant startedAt;
    private boolean closed;

    private Engine(Injector injector)
    {
        this.injector = requireNonNull(injector, "injector is null");
    }

    public static Engine create(EngineConfig config, JobCatalog catalog, Clock clock)
    {
        ObjectMapper mapper = JsonMapper.create();
        CurrentConfig current = new CurrentConfig(config);
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new EngineModule(current, catalog, mapper, clock));
        Engine engine = new Engine(injector);
        engine.started.push(injector.getInstance(LibvirtService.class));
        // Runs left open by a process that died are closed first, so history never shows ghosts.
        int abandoned = injector.getInstance(RunHistory.class).closeAbandoned(clock.instant());
        if (abandoned > 0) {
            log.warn("Closed {} run(s) left unfinished by a hyperops process that stopped", abandoned);
        }
        return engine;
    }

    /** Starts scheduling and hot reload: what the daemon does. */
    public void startScheduling()
    {
        try {
            JobScheduler scheduler = injector.getInstance(JobScheduler.class);
            scheduler.start();
            started.push(scheduler);
            ConfigWatcher watcher = injector.getInstance(ConfigWatcher.class);
            watcher.start();
            started.push(watcher);
            started.push(injector.getInstance(RunThreads.class));
            ControlServer control = injector.getInstance(ControlServer.class);
            control.start();
            started.push(control);
            startTaskServices();
        }
        catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
        catch (IOException e) {
            // The config watcher and the control socket can both fail here; their messages say which.
            throw new UncheckedIOException("cannot start the daemon: " + e.getMessage(), e);
        }
        startedAt = Instant.now();
        injector.getInstance(DaemonState.class).started(startedAt);
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        log.info("Scheduler ready in {} ms since JVM start ({} jobs scheduled)", sinceJvmStart,
                config().get().jobs().values().stream().filter(job -> job.scheduled()).count());
    }

    private void startTaskServices()
    {
        for (TaskPlugin plugin : injector.getInstance(JobCatalog.class).plugins()) {
            for (Class<? extends TaskService> type : plugin.services()) {
                TaskService service = injector.getInstance(type);
                try {
                    service.start();
                }
                catch (Exception e) {
                    // One task's service failing must not take the scheduler and the other tasks down.
                    log.error("Task {}: service {} did not start: {}", plugin.name(), type.getSimpleName(), e.getMessage(), e);
                    continue;
                }
                started.push(service::stop);
                log.info("Task {}: started {}", plugin.name(), type.getSimpleName());
            }
        }
    }

    /** Runs a job now in the calling thread, with its overlap policy, lock, history and log. */
    public RunRecord run(String job, Trigger trigger)
            throws InterruptedException
    {
        return injector.getInstance(RunExecutor.class).run(job, trigger);
    }

    /** An instance of a class a task bound, such as one of its {@link io.hyperops.spi.TaskCommand}s. */
    public <T> T instance(Class<T> type)
    {
        return injector.getInstance(type);
    }

    public CurrentConfig config()
    {
        return injector.getInstance(CurrentConfig.class);
    }

    public RunHistory history()
    {
        return injector.getInstance(RunHistory.class);
    }

    public JobScheduler scheduler()
    {
        return injector.getInstance(JobScheduler.class);
    }

    public List<ActiveRun> activeRuns()
    {
        return injector.getInstance(RunCoordinator.class).active();
    }

    public boolean queued(String job)
    {
        return injector.getInstance(RunCoordinator.class).queued(job);
    }

    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping hyperops");
        injector.getInstance(RunCoordinator.class).close();
        if (startedAt != null) {
            injector.getInstance(JobScheduler.class).standby();
            stopRuns(config().get().engine().shutdownGrace());
        }
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            }
            catch (Exception e) {
                log.warn("Stopping {} failed: {}", service.getClass().getSimpleName(), e.getMessage());
            }
        }
        log.info("hyperops stopped");
    }

    private void stopRuns(Duration grace)
    {
        if (!waitForRuns(grace)) {
            for (ActiveRun run : activeRuns()) {
                log.warn("Run {} still going after the {} s grace period; interrupting it", run.runId(), grace.toSeconds());
            }
            injector.getInstance(RunCoordinator.class).cancelAll(EngineRunContext.StopReason.SHUTDOWN);
            if (!waitForRuns(AFTER_INTERRUPT)) {
                activeRuns().forEach(run -> log.error("Run {} ignored its interrupt; it will be recorded as interrupted at the next start", run.runId()));
            }
        }
    }

    private boolean waitForRuns(Duration limit)
    {
        RunCoordinator coordinator = injector.getInstance(RunCoordinator.class);
        long deadline = System.nanoTime() + limit.toNanos();
        while (coordinator.inFlight() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return coordinator.inFlight() == 0;
            }
        }
        return true;
    }
}
