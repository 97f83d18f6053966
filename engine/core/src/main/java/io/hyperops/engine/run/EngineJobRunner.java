package io.hyperops.engine.run;

import io.hyperops.spi.JobRunner;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** {@link JobRunner} for tasks: runs the other job in the caller's thread, recorded with trigger {@code requested}. */
public final class EngineJobRunner
        implements JobRunner
{
    // A provider: jobs that ask for other jobs are built by the same injector that builds the executor.
    private final Provider<RunExecutor> executor;

    @Inject
    public EngineJobRunner(Provider<RunExecutor> executor)
    {
        this.executor = requireNonNull(executor, "executor is null");
    }

    @Override
    public RunReport runAndWait(String jobName, Duration maxWait)
            throws InterruptedException
    {
        return executor.get().runWaiting(jobName, Trigger.REQUESTED, maxWait).report();
    }
}
