package io.hyperops.spi;

import java.time.Duration;

/**
 * Lets a job run another job and wait for it without importing its task (the update job asks for a
 * backup before it applies). The run is recorded like any other, with trigger {@code requested}, and
 * follows the other job's overlap policy: a running instance is waited for rather than doubled.
 */
public interface JobRunner
{
    /**
     * @throws IllegalArgumentException if no job has that name or it is disabled
     */
    RunReport runAndWait(String jobName, Duration maxWait)
            throws InterruptedException;
}
