package io.hyperops.task.health;

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

/** {@link JobHistory} with runs a test adds, newest last as they are added. */
public final class TestingJobHistory
        implements JobHistory
{
    private final Map<String, List<RunReport>> runs = new LinkedHashMap<>();

    public TestingJobHistory job(String name, RunOutcome... outcomes)
    {
        List<RunReport> list = runs.computeIfAbsent(name, key -> new ArrayList<>());
        for (RunOutcome outcome : outcomes) {
            Instant time = Instant.parse("2025-06-01T00:00:00Z").plusSeconds(60L * list.size());
            list.add(new RunReport(name + "-" + list.size(), name, Trigger.SCHEDULE, time, time.plusSeconds(1), outcome, outcome.jsonName() + " run " + list.size()));
        }
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
        List<RunReport> newestFirst = new ArrayList<>(runs.getOrDefault(jobName, List.of()));
        java.util.Collections.reverse(newestFirst);
        return newestFirst.stream().limit(limit).toList();
    }
}
