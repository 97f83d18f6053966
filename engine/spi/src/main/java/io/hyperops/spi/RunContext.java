package io.hyperops.spi;

import org.slf4j.Logger;

import java.time.Clock;

/**
 * What the engine hands one run: its identity, validated settings, durable state, a logger whose lines
 * land in the run's own log file, progress reporting, the cancellation signal and a clock.
 */
public interface RunContext
{
    String jobName();

    String runId();

    Trigger trigger();

    /** The job's settings record, read from its {@code settings} section and validated before the run. */
    <T extends Record> T settings(Class<T> type);

    /** The job's own durable state: JSON files under the engine's state folder. */
    StateStore state();

    /** Lines logged here carry the job and run id and go to the run's log file too. */
    Logger log();

    Clock clock();

    /** Reports how far the run is; {@code total} is 0 where the amount of work is unknown. */
    void progress(String message, long done, long total);

    /** True once the engine asked the run to stop (time-out or shutdown). */
    boolean cancelRequested();

    /** Throws {@link InterruptedException} once the engine asked the run to stop; call it at safe points. */
    default void checkCancelled()
            throws InterruptedException
    {
        if (cancelRequested() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("run " + runId() + " was asked to stop");
        }
    }
}
