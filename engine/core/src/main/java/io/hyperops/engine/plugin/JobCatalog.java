package io.hyperops.engine.plugin;

import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Every job of every loaded task, by name. Two tasks offering the same job name stop start-up. */
public final class JobCatalog
{
    private final List<TaskPlugin> plugins;
    private final SortedMap<String, RegisteredJob> jobs;

    private JobCatalog(List<TaskPlugin> plugins, SortedMap<String, RegisteredJob> jobs)
    {
        this.plugins = List.copyOf(plugins);
        this.jobs = Collections.unmodifiableSortedMap(jobs);
    }

    public static JobCatalog of(List<TaskPlugin> plugins)
    {
        SortedMap<String, RegisteredJob> jobs = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> taskNames = new ArrayList<>();
        for (TaskPlugin plugin : plugins) {
            if (taskNames.contains(plugin.name())) {
                problems.add("task '" + plugin.name() + "' is loaded twice; remove the duplicate jar from lib/");
            }
            taskNames.add(plugin.name());
            for (JobDefinition definition : plugin.jobs()) {
                RegisteredJob previous = jobs.putIfAbsent(definition.name(), new RegisteredJob(plugin.name(), definition));
                if (previous != null) {
                    problems.add("job '" + definition.name() + "' is offered by both task '" + previous.task() + "' and task '" + plugin.name() + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot load tasks:\n  " + String.join("\n  ", problems));
        }
        return new JobCatalog(plugins, jobs);
    }

    public List<TaskPlugin> plugins()
    {
        return plugins;
    }

    public SortedMap<String, RegisteredJob> jobs()
    {
        return jobs;
    }

    public Optional<RegisteredJob> job(String name)
    {
        return Optional.ofNullable(jobs.get(name));
    }
}
