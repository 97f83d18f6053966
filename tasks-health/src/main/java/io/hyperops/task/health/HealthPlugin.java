package io.hyperops.task.health;

import com.google.inject.Module;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;

import java.util.List;

/** The health task: host checks and metrics. */
public final class HealthPlugin
        implements TaskPlugin
{
    @Override
    public String name()
    {
        return "health";
    }

    @Override
    public Module module()
    {
        return new HealthModule();
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(new JobDefinition(
                "metrics",
                MetricsJob.class,
                MetricsSettings.class,
                JobDefaults.scheduled("hourly"),
                "Writes host and VM figures to metrics-<time>.json in the data folder and deletes files older than the retention"));
    }
}
