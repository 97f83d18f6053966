package io.hyperops.spi;

/**
 * A job's current settings and state for code that runs outside the job's own runs, such as a
 * {@link TaskService} that listens for events between runs. Settings follow config reloads.
 */
public interface JobAccess
{
    /** The job's settings as the config in force has them now. */
    <T extends Record> T settings(String jobName, Class<T> type);

    /** The same state store the job's runs get. */
    StateStore state(String jobName);

    /**
     * Whether the config in force has the job on ({@code enabled}, default true): what a task service
     * acting for a job between its runs must honour too. Follows config reloads.
     */
    boolean enabled(String jobName);
}
