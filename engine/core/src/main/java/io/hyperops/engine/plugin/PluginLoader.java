package io.hyperops.engine.plugin;

import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the task modules on the class path; the engine knows none of them by name. */
public final class PluginLoader
{
    private PluginLoader() {}

    public static List<TaskPlugin> discover()
    {
        List<TaskPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(TaskPlugin.class).forEach(plugins::add);
        plugins.sort(Comparator.comparing(TaskPlugin::name));
        return plugins;
    }

    public static void logLoaded(List<TaskPlugin> plugins)
    {
        Logger log = LoggerFactory.getLogger(PluginLoader.class);
        if (plugins.isEmpty()) {
            log.warn("No task modules found on the class path: no jobs to run");
        }
        for (TaskPlugin plugin : plugins) {
            String jobs = plugin.jobs().stream().map(JobDefinition::name).collect(Collectors.joining(", "));
            log.info("Loading task {} (jobs: {})", plugin.name(), jobs);
        }
    }
}
