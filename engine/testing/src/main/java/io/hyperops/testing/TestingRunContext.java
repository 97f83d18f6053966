package io.hyperops.testing;

import io.hyperops.spi.RunContext;
import io.hyperops.spi.StateStore;
import io.hyperops.spi.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * A {@link RunContext} for unit tests: fixed settings, an in-memory state store, a given clock, and a
 * record of the progress the job reported.
 */
public final class TestingRunContext
        implements RunContext
{
    private final String jobName;
    private final Record settings;
    private final StateStore state;
    private final Clock clock;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    public TestingRunContext(String jobName, Record settings, Clock clock)
    {
        this(jobName, settings, new TestingStateStore(), clock);
    }

    public TestingRunContext(String jobName, Record settings, StateStore state, Clock clock)
    {
        this.jobName = requireNonNull(jobName, "jobName is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.state = requireNonNull(state, "state is null");
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
        return "test-" + jobName;
    }

    @Override
    public Trigger trigger()
    {
        return Trigger.MANUAL;
    }

    @Override
    public <T extends Record> T settings(Class<T> type)
    {
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
        return LoggerFactory.getLogger("hyperops.job." + jobName);
    }

    @Override
    public Clock clock()
    {
        return clock;
    }

    @Override
    public void progress(String message, long done, long total)
    {
        progress.add(message + " " + done + "/" + total);
    }

    @Override
    public boolean cancelRequested()
    {
        return cancelled.get();
    }

    /** Makes the next {@link #checkCancelled()} throw, as the engine does on time-out. */
    public void cancel()
    {
        cancelled.set(true);
    }

    public List<String> reportedProgress()
    {
        return List.copyOf(progress);
    }
}
