package io.hyperops.task.update;

import io.hyperops.spi.RunContext;
import io.hyperops.spi.StateStore;
import io.hyperops.spi.Trigger;
import io.hyperops.testing.TestingRunContext;
import org.slf4j.Logger;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/** {@link TestingRunContext} with the trigger a test chooses (the update-check guard depends on it). */
final class TestingRun
        implements RunContext
{
    private final TestingRunContext context;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Trigger trigger;
    private final String runId;

    TestingRun(String jobName, Record settings, Clock clock, Trigger trigger)
    {
        this.context = new TestingRunContext(jobName, settings, clock);
        this.trigger = requireNonNull(trigger, "trigger is null");
        this.runId = context.runId() + "-" + RUNS.incrementAndGet();
    }

    @Override
    public String jobName()
    {
        return context.jobName();
    }

    @Override
    public String runId()
    {
        // one per run, as the engine's are: a run's record replaces only its own in the update's history
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
        return context.settings(type);
    }

    @Override
    public StateStore state()
    {
        return context.state();
    }

    @Override
    public Logger log()
    {
        return context.log();
    }

    @Override
    public Clock clock()
    {
        return context.clock();
    }

    @Override
    public void progress(String message, long done, long total)
    {
        context.progress(message, done, total);
    }

    @Override
    public boolean cancelRequested()
    {
        return context.cancelRequested();
    }
}
