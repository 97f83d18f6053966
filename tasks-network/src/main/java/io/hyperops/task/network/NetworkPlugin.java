package io.hyperops.task.network;

import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;

import java.time.Duration;
import java.util.List;

/** The network task: discovery, bridge and MTU changes that revert themselves, and the network-check job. */
public final class NetworkPlugin
        implements TaskPlugin
{
    public static final String CHECK_JOB = "network-check";

    @Override
    public String name()
    {
        return "network";
    }

    @Override
    public Module module()
    {
        return new NetworkModule();
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(new JobDefinition(
                CHECK_JOB,
                NetworkCheckJob.class,
                NetworkSettings.class,
                JobDefaults.scheduled("hourly").withTimeout(Duration.ofMinutes(5)),
                "Checks that bridges are up and that jumbo frames pass end to end where an MTU above 1500 is set (WARN otherwise)"));
    }

    @Override
    public List<Class<? extends TaskService>> services()
    {
        return List.of(NetworkRecovery.class);
    }

    @Override
    public List<CommandDefinition> commands()
    {
        return List.of(new CommandDefinition(
                "network",
                NetworkCommand.class,
                "Interfaces, bridges and MTUs: list, bridge create/remove, mtu set, confirm; changes revert unless confirmed",
                CommandDefinition.IN_PROCESS, CommandDefinition.subcommands("list")));
    }
}
