package io.hyperops.task.health;

import com.google.inject.Module;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;

import java.time.Duration;
import java.util.List;

/** The health task: host checks, metrics, pre-flight checks, storage cleanup and crashed-VM recovery. */
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
        return List.of(
                new JobDefinition(
                        "metrics",
                        MetricsJob.class,
                        MetricsSettings.class,
                        JobDefaults.scheduled("hourly"),
                        "Writes host and VM figures to metrics-<time>.json in the data folder and deletes files older than the retention"),
                new JobDefinition(
                        "health",
                        HealthJob.class,
                        HealthSettings.class,
                        JobDefaults.scheduled("daily").withRunAfterStart(Duration.ofMinutes(5)).withCatchUp(true).withTimeout(Duration.ofMinutes(5)),
                        "Checks the host, services, network, storage, guests and security; writes health-status.json (exit 0 OK, 1 WARN, 2 ERROR)"));
    }
}
