package io.hyperops.engine.run;

import io.hyperops.spi.RunContext;
import io.hyperops.spi.StateStore;
import io.hyperops.spi.Trigger;
import org.slf4j.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/** The engine's {@link RunContext}: one per run, never shared. */
public final class EngineRunContext
        implements RunContext
{
    public enum StopReason
    {
        TIMEOUT,
        SHUTDOWN
    }

    private final String jobName;
    private final String runId;
    private final Trigger trigger;
    private final Record settings;
    private final StateStore state;
    private final Logger log;
    private final Clock clock;
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private final AtomicReference<Progress> progress = new AtomicReference<>();
    private boolean finished;

    public EngineRunContext(String jobName, String runId, Trigger trigger, Record settings, StateStore state, Logger log, Clock clock)
    {
        this.jobName = requireNonNull(jobName, "jobName is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.trigger = requireNonNull(trigger, "trigger is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.state = requireNonNull(state, "state is null");
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String jobName()
    {
        return jobName;
    }

    @Override
    public String runId()
    {
        return runId;
    }

    @Override
    public Trigger trigger()
    {
        return trigger;
    }

    @Override
    public <T extends Record> T settings(Class<T> type)
    {
        if (!type.isInstance(settings)) {
            throw new IllegalArgumentException("job '" + jobName + "' reads " + settings.getClass().getSimpleName() + ", not " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    @Override
    public StateStore state()
    {
        return state;
    }

    @Override
    public Logger log()
    {
        return log;
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    @Override
    public void progress(String message, long done, long total)
    {
        progress.set(new Progress(message, done, total));
        log.debug("Progress: {} ({} of {})", message, done, total);
    }

    @Override
    public boolean cancelRequested()
    {
        return stopReason.get() != null;
    }

    /**
     * Asks the run to stop and interrupts its thread, unless it already ended: an interrupt landing
     * after the end would break the writing of its history record, or reach the thread's next run.
     */
    synchronized void stop(StopReason reason, Thread thread)
    {
        if (finished) {
            return;
        }
        stopReason.compareAndSet(null, reason);
        thread.interrupt();
    }

    /** After this, {@link #stop} does nothing; the caller then clears any interrupt that came before. */
    synchronized void finish()
    {
        finished = true;
    }

    public Optional<StopReason> stopReason()
    {
        return Optional.ofNullable(stopReason.get());
    }

    public Optional<Progress> lastProgress()
    {
        return Optional.ofNullable(progress.get());
    }

    public record Progress(String message, long done, long total) {}
}
