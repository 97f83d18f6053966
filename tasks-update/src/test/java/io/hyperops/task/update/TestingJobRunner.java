package io.hyperops.task.update;

import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.Trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link JobRunner} and {@link JobHistory} over jobs the test defines: each a function giving the run's
 * outcome, called in the caller's thread like the engine's runner. An unknown job throws
 * {@link IllegalArgumentException} as the engine does. Keeps the order of the runs asked for.
 */
final class TestingJobRunner
        implements JobRunner, JobHistory
{
    interface Job
    {
        RunReport run(String runId)
                throws InterruptedException;
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<String> runs = new CopyOnWriteArrayList<>();

    TestingJobRunner job(String name, Job job)
    {
        jobs.put(name, job);
        return this;
    }

    /** A job that always ends in this outcome. */
    TestingJobRunner job(String name, RunOutcome outcome)
    {
        return job(name, runId -> report(runId, name, outcome, outcome.jsonName()));
    }

    /** A job that ends in the given outcomes, one per run, the last repeated. */
    TestingJobRunner job(String name, RunOutcome... outcomes)
    {
        List<RunOutcome> remaining = new ArrayList<>(List.of(outcomes));
        return job(name, runId -> {
            RunOutcome outcome = remaining.size() > 1 ? remaining.remove(0) : remaining.get(0);
            return report(runId, name, outcome, outcome.jsonName());
        });
    }

    static RunReport report(String runId, String job, RunOutcome outcome, String summary)
    {
        Instant now = Instant.now();
        return new RunReport(runId, job, Trigger.REQUESTED, now, now, outcome, summary);
    }

    @Override
    public RunReport runAndWait(String jobName, Duration maxWait)
            throws InterruptedException
    {
        Job job = jobs.get(jobName);
        if (job == null) {
            throw new IllegalArgumentException("no job named '" + jobName + "'");
        }
        runs.add(jobName);
        return job.run(jobName + "-" + runs.size());
    }

    List<String> runs()
    {
        return List.copyOf(runs);
    }

    @Override
    public Set<String> jobNames()
    {
        return Set.copyOf(jobs.keySet());
    }

    @Override
    public List<RunReport> recent(String jobName, int limit)
    {
        return List.of();
    }
}
