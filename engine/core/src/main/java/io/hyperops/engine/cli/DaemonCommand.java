package io.hyperops.engine.cli;

import io.hyperops.engine.Engine;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.logging.LogSetup;
import io.hyperops.engine.plugin.PluginLoader;
import io.hyperops.engine.systemd.SystemdNotifier;
import io.hyperops.engine.systemd.Watchdog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hyperops daemon}: schedules and runs jobs until SIGTERM. An invalid config stops it before
 * anything starts.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the scheduler until stopped (SIGTERM). Started by systemd as hyperops.service.")
final class DaemonCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws InterruptedException
    {
        EngineConfig config;
        try {
            config = options.load();
        }
        catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            spec.commandLine().getErr().println("hyperops: not started; fix the config and check it with 'hyperops config check'");
            return ExitCodes.CONFIG;
        }
        // systemd sets these for its services; their stdout goes to the journal, which adds time and unit.
        boolean underSystemd = System.getenv("INVOCATION_ID") != null || System.getenv("JOURNAL_STREAM") != null;
        LogSetup.withFiles(config.engine().logDir(), underSystemd ? LogSetup.Console.JOURNAL : LogSetup.Console.TERMINAL);
        PluginLoader.logLoaded(options.catalog().plugins());

        Optional<SystemdNotifier> systemd = SystemdNotifier.fromEnvironment();
        Engine engine = Engine.create(config, options.catalog(), Clock.systemDefaultZone());
        CountDownLatch stopped = new CountDownLatch(1);
        List<Watchdog> watchdog = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            systemd.ifPresent(notifier -> notifier.send("STOPPING=1\nSTATUS=Stopping: running jobs get their grace period"));
            watchdog.forEach(Watchdog::close);
            engine.close();
            stopped.countDown();
        }, "hyperops-shutdown"));
        engine.startScheduling();
        systemd.ifPresent(notifier -> {
            long scheduled = config.jobs().values().stream().filter(JobConfig::scheduled).count();
            notifier.send("READY=1\nSTATUS=Scheduling " + scheduled + " jobs; control socket " + config.engine().controlSocket() + "\nMAINPID=" + ProcessHandle.current().pid());
            Watchdog.start(notifier, () -> engine.scheduler().healthy()).ifPresent(watchdog::add);
        });
        stopped.await();
        return ExitCodes.SUCCESS;
    }
}
