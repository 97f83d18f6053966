package io.hyperops.task.update;

import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.NoSettings;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;

import java.time.Duration;
import java.util.List;

/** The update task: check, apply behind a health gate with automatic rollback, and roll back by hand. */
public final class UpdatePlugin
        implements TaskPlugin
{
    public static final String UPDATE_JOB = "update";
    public static final String CHECK_JOB = "update-check";
    public static final String ROLLBACK_JOB = "update-rollback";

    @Override
    public String name()
    {
        return "update";
    }

    @Override
    public Module module()
    {
        return new UpdateModule();
    }

    @Override
    public List<Class<? extends TaskService>> services()
    {
        return List.of(UpdateResumption.class);
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(
                new JobDefinition(
                        CHECK_JOB,
                        UpdateCheckJob.class,
                        UpdateCheckSettings.class,
                        JobDefaults.scheduled("weekly").withCatchUp(true).withTimeout(Duration.ofMinutes(30)),
                        "Looks for updates with every provider of the update job (git fetch, dry-build, simulated upgrade) and writes update-status.json"),
                new JobDefinition(
                        UPDATE_JOB,
                        UpdateJob.class,
                        UpdateSettings.class,
                        JobDefaults.scheduled("manual").withTimeout(Duration.ofHours(6)),
                        "Backs up the guests, applies the providers in order, then a health gate; a failed gate rolls them back in reverse order. "
                                + "Manual; give it a schedule for a maintenance window"),
                new JobDefinition(
                        ROLLBACK_JOB,
                        UpdateRollbackJob.class,
                        NoSettings.class,
                        JobDefaults.scheduled("manual").withTimeout(Duration.ofHours(2)),
                        "Rolls the last applied update back, provider by provider in reverse order (hyperops update rollback)"));
    }

    @Override
    public List<CommandDefinition> commands()
    {
        return List.of(new CommandDefinition("update", UpdateCommand.class, "Updates of the host: check, apply, rollback, status, history",
                CommandDefinition.IN_PROCESS, CommandDefinition.subcommands("status", "history")));
    }
}
