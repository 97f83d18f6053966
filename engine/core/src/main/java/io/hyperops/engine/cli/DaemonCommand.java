package io.hyperops.engine.cli;

import io.hyperops.engine.Engine;
import io.hyperops.engine.config.AcceptedConfig;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.logging.LogSetup;
import io.hyperops.engine.plugin.PluginLoader;
import io.hyperops.engine.scheduler.ConfigWatcher;
import io.hyperops.engine.systemd.SystemdNotifier;
import io.hyperops.engine.systemd.Watchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hyperops daemon}: schedules and runs jobs until SIGTERM. An invalid config stops it before
 * anything starts, unless a daemon accepted one before ({@link AcceptedConfig}): then it starts with that
 * one, says so, and takes the file once it is fixed.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the scheduler until stopped (SIGTERM). Started by systemd as hyperops.service.")
final class DaemonCommand
        implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCommand.class);

    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws InterruptedException
    {
        EngineConfig config;
        // read once: what is judged is what is kept as the accepted copy, and what the config watcher starts from
        byte[] judged = readQuietly(options.configFile);
        Optional<ConfigException> refused = Optional.empty();
        try {
            config = judged == null ? options.load() : options.loader().parse(options.configFile, judged, Optional.empty());
        }
        catch (ConfigException problem) {
            // An edit refused while the daemon ran stays refused across a restart (a reboot): the host goes
            // on with the config the daemon last accepted, and says so, rather than with no daemon at all.
            Optional<EngineConfig> last = options.lastAccepted(spec.commandLine().getErr());
            if (last.isEmpty()) {
                spec.commandLine().getErr().println(problem.getMessage());
                spec.commandLine().getErr().println("hyperops: not started; fix the config and check it with 'hyperops config check'");
                return ExitCodes.CONFIG;
            }
            config = last.get();
            refused = Optional.of(problem);
        }
        // systemd sets these for its services; their stdout goes to the journal, which adds time and unit.
        boolean underSystemd = System.getenv("INVOCATION_ID") != null || System.getenv("JOURNAL_STREAM") != null;
        LogSetup.withFiles(config.engine().logDir(), underSystemd ? LogSetup.Console.JOURNAL : LogSetup.Console.TERMINAL);
        PluginLoader.logLoaded(options.catalog().plugins());
        if (refused.isPresent()) {
            LOG.error("{} has problems, so this start uses the config last accepted ({}); fix the file and it is reloaded by itself.\n{}",
                    options.configFile, AcceptedConfig.find(options.configFile).map(Path::toString).orElse("?"), refused.get().getMessage());
        }

        Optional<SystemdNotifier> systemd = SystemdNotifier.fromEnvironment();
        Engine engine = Engine.create(config, options.catalog(), Clock.systemDefaultZone());
        refused.ifPresent(problem -> engine.instance(CurrentConfig.class).refuse(problem.problems(), Instant.now()));
        engine.instance(ConfigWatcher.class).startedFrom(judged);
        CountDownLatch stopped = new CountDownLatch(1);
        List<Watchdog> watchdog = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            systemd.ifPresent(notifier -> notifier.send("STOPPING=1\nSTATUS=Stopping: running jobs get their grace period"));
            watchdog.forEach(Watchdog::close);
            engine.close();
            stopped.countDown();
        }, "hyperops-shutdown"));
        engine.startScheduling();
        // kept once this daemon runs: one that could not start (another already runs) must not replace it
        engine.instance(ConfigWatcher.class).keepStartAccepted(config.engine().stateDir());
        EngineConfig started = config;
        String note = refused.isPresent() ? " (the config last accepted: the file has problems)" : "";
        systemd.ifPresent(notifier -> {
            long scheduled = started.jobs().values().stream().filter(JobConfig::scheduled).count();
            notifier.send("READY=1\nSTATUS=Scheduling " + scheduled + " jobs" + note + "; control socket " + started.engine().controlSocket() + "\nMAINPID=" + ProcessHandle.current().pid());
            Watchdog.start(notifier, () -> engine.scheduler().healthy()).ifPresent(watchdog::add);
        });
        stopped.await();
        return ExitCodes.SUCCESS;
    }

    private static byte[] readQuietly(Path file)
    {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            // the loader says what is wrong with it
            return null;
        }
    }
}
