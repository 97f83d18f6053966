package io.hyperops.spi;

/** What happens when a job is triggered while a run of it is still going. */
public enum Overlap
{
    /** The new trigger is dropped and recorded in history as {@code skipped}. */
    SKIP,
    /** The new trigger waits for the running one; at most one waits, further triggers are skipped. */
    QUEUE
}
