package io.hyperops.engine.plugin;

import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Every job and command of every loaded task, by name. Two tasks offering the same name stop start-up. */
public final class JobCatalog
{
    private final List<TaskPlugin> plugins;
    /** The engine's own commands; a task cannot take their names. */
    private static final Set<String> RESERVED_COMMANDS = Set.of("daemon", "run-job", "status", "jobs", "history", "logs", "forecast", "pause", "resume", "config", "audit", "completion", "help");

    private final SortedMap<String, RegisteredJob> jobs;
    private final SortedMap<String, RegisteredCommand> commands;

    private JobCatalog(List<TaskPlugin> plugins, SortedMap<String, RegisteredJob> jobs, SortedMap<String, RegisteredCommand> commands)
    {
        this.plugins = List.copyOf(plugins);
        this.jobs = Collections.unmodifiableSortedMap(jobs);
        this.commands = Collections.unmodifiableSortedMap(commands);
    }

    public SortedMap<String, RegisteredCommand> commands()
    {
        return commands;
    }

    /** A command together with the task that offers it. */
    public record RegisteredCommand(String task, CommandDefinition definition) {}

    public static JobCatalog of(List<TaskPlugin> plugins)
    {
        SortedMap<String, RegisteredJob> jobs = new TreeMap<>();
        SortedMap<String, RegisteredCommand> commands = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> taskNames = new ArrayList<>();
        for (TaskPlugin plugin : plugins) {
            if (taskNames.contains(plugin.name())) {
                problems.add("task '" + plugin.name() + "' is loaded twice; remove the duplicate jar from lib/");
            }
            taskNames.add(plugin.name());
            for (CommandDefinition command : plugin.commands()) {
                if (RESERVED_COMMANDS.contains(command.name()) || commands.putIfAbsent(command.name(), new RegisteredCommand(plugin.name(), command)) != null) {
                    problems.add("command '" + command.name() + "' of task '" + plugin.name() + "' is already taken");
                }
            }
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
        return new JobCatalog(plugins, jobs, commands);
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
