package io.hyperops.spi;

import java.util.List;
import java.util.Set;

/** Read-only view of the engine's run history, for tasks that report on other jobs (health). */
public interface JobHistory
{
    /** Every job the engine knows, whether it ran or not. */
    Set<String> jobNames();

    /** The job's finished runs, newest first, at most {@code limit}. */
    List<RunReport> recent(String jobName, int limit);
}
