package io.hyperops.task.health;

import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;
import io.hyperops.task.health.cleanup.StorageCleanupJob;
import io.hyperops.task.health.cleanup.StorageCleanupSettings;
import io.hyperops.task.health.preflight.PreflightCommand;
import io.hyperops.task.health.recovery.RecoveryListener;
import io.hyperops.task.health.recovery.VmRecoveryJob;
import io.hyperops.task.health.recovery.VmRecoverySettings;

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
                        "Checks the host, services, network, storage, guests and security; writes health-status.json (exit 0 OK, 1 WARN, 2 ERROR)"),
                new JobDefinition(
                        "storage-cleanup",
                        StorageCleanupJob.class,
                        StorageCleanupSettings.class,
                        JobDefaults.scheduled("weekly").withCatchUp(true),
                        "Deletes old logs, partial downloads and old metrics; below min_free_gb frees run logs, metrics, then backups beyond retention"),
                new JobDefinition(
                        RecoveryListener.JOB,
                        VmRecoveryJob.class,
                        VmRecoverySettings.class,
                        JobDefaults.scheduled("minutely").withTimeout(Duration.ofMinutes(5)),
                        "Restarts crashed guests (event-driven, with this sweep every minute) with crash-loop protection"));
    }

    @Override
    public List<Class<? extends TaskService>> services()
    {
        return List.of(RecoveryListener.class);
    }

    @Override
    public List<CommandDefinition> commands()
    {
        return List.of(new CommandDefinition(
                "preflight",
                PreflightCommand.class,
                "Checks before a VM operation: vm-create, vm-start, backup, snapshot, iso-download, general",
                CommandDefinition.IN_PROCESS,
                // it checks and changes nothing
                arguments -> true));
    }
}
