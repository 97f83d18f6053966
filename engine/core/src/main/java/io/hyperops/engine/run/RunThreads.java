package io.hyperops.engine.run;

import jakarta.inject.Inject;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread for each run the daemon starts, scheduled or asked for. Quartz's workers only hand fires
 * over: a run held on one of them (a backup of hours, or a queued run waiting for it) would keep fires
 * of other jobs from finding a free worker, and Quartz drops a fire that waits past its misfire
 * threshold without a trace. How many runs go at once is bounded by the jobs' overlap policies.
 */
public final class RunThreads
        implements Executor, AutoCloseable
{
    private final AtomicInteger counter = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-run-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public RunThreads() {}

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
