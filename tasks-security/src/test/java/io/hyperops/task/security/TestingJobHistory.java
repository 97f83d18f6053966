package io.hyperops.task.security;

import io.hyperops.spi.JobHistory;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.Trigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link JobHistory} of runs a test adds, newest first as the engine gives them. */
public final class TestingJobHistory
        implements JobHistory
{
    private final Map<String, List<RunReport>> runs = new LinkedHashMap<>();

    /** Declares a job that has not run yet. */
    public TestingJobHistory job(String jobName)
    {
        runs.computeIfAbsent(jobName, name -> new ArrayList<>());
        return this;
    }

    /** Adds a finished run as the newest of its job. */
    public TestingJobHistory run(String jobName, RunOutcome outcome, Instant end)
    {
        List<RunReport> jobRuns = runs.computeIfAbsent(jobName, name -> new ArrayList<>());
        jobRuns.add(0, new RunReport("run-" + jobRuns.size(), jobName, Trigger.SCHEDULE, end.minusSeconds(60), end, outcome, outcome.jsonName()));
        return this;
    }

    @Override
    public Set<String> jobNames()
    {
        return Set.copyOf(runs.keySet());
    }

    @Override
    public List<RunReport> recent(String jobName, int limit)
    {
        List<RunReport> jobRuns = runs.getOrDefault(jobName, List.of());
        return List.copyOf(jobRuns.subList(0, Math.min(limit, jobRuns.size())));
    }
}
