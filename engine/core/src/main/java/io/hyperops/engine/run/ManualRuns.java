package io.hyperops.engine.run;

import jakarta.inject.Inject;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for runs an operator asked the daemon for. They go through the same admission, lock and
 * history as scheduled runs; only the thread differs, so a manual run never waits for a free Quartz
 * worker behind scheduled ones.
 */
public final class ManualRuns
        implements Executor, AutoCloseable
{
    private final AtomicInteger counter = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-manual-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public ManualRuns() {}

    @Override
    public void execute(Runnable command)
    {
        threads.execute(command);
    }

    @Override
    public void close()
    {
        threads.shutdownNow();
    }
}
