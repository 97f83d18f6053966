package io.hyperops.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.Description;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.NoSettings;
import io.hyperops.spi.Overlap;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.TaskCommand;
import io.hyperops.spi.TaskJob;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;
import jakarta.inject.Inject;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A task module for engine tests, found by ServiceLoader on the test class path: a job that counts its
 * runs, one that waits until told to finish, and one that runs another job through {@link JobRunner}.
 */
public final class TestingPlugin
        implements TaskPlugin
{
    @Override
    public String name()
    {
        return "testing";
    }

    @Override
    public Module module()
    {
        return new AbstractModule()
        {
            @Override
            protected void configure()
            {
                bind(CounterJob.class);
                bind(SleepyJob.class);
                bind(CallerJob.class);
                bind(EchoCommand.class);
                bind(DaemonEchoCommand.class);
                bind(Heartbeat.class).in(com.google.inject.Scopes.SINGLETON);
            }
        };
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(
                new JobDefinition("counter", CounterJob.class, CounterSettings.class, JobDefaults.scheduled("daily"), "Counts its runs in its state."),
                new JobDefinition("sleepy", SleepyJob.class, SleepySettings.class, JobDefaults.scheduled("manual").withOverlap(Overlap.SKIP), "Runs until its release file exists."),
                new JobDefinition("caller", CallerJob.class, NoSettings.class, JobDefaults.scheduled("manual"), "Runs counter and reports its outcome."));
    }

    @Override
    public List<Class<? extends TaskService>> services()
    {
        return List.of(Heartbeat.class);
    }

    /** A service that only records its lifecycle, so tests can see when the engine starts and stops it. */
    public static final class Heartbeat
            implements TaskService
    {
        private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Inject
        public Heartbeat() {}

        @Override
        public void start()
        {
            events.add("start");
        }

        @Override
        public void stop()
        {
            events.add("stop");
        }

        public List<String> events()
        {
            return List.copyOf(events);
        }
    }

    @Override
    public List<CommandDefinition> commands()
    {
        return List.of(new CommandDefinition("testing-echo", EchoCommand.class, "Prints its arguments and the count job's state folder.",
                        CommandDefinition.IN_PROCESS, CommandDefinition.subcommands("list")),
                new CommandDefinition("testing-daemon-echo", DaemonEchoCommand.class, "Prints its arguments, whether the caller has a terminal and which injector made it.",
                        arguments -> !arguments.contains("--here"), CommandDefinition.CHANGES_THE_HOST));
    }

    /** A command a running daemon runs for its caller: says which injector made it and what it was told about the terminal. */
    public static final class DaemonEchoCommand
            implements TaskCommand
    {
        private final HostPaths paths;

        @Inject
        public DaemonEchoCommand(HostPaths paths)
        {
            this.paths = requireNonNull(paths, "paths is null");
        }

        @Override
        public int run(List<String> arguments, PrintWriter out, PrintWriter err)
        {
            return run(arguments, out, err, false);
        }

        /** How many times any instance ran: a command refused by its own arguments must not run again in-process. */
        public static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
        /** Counted down when a {@code --block} run is interrupted. */
        public static final java.util.concurrent.CountDownLatch INTERRUPTED = new java.util.concurrent.CountDownLatch(1);

        @Override
        public int run(List<String> arguments, PrintWriter out, PrintWriter err, boolean terminal)
        {
            RUNS.incrementAndGet();
            if (arguments.contains("--block")) {
                out.println("blocking");
                out.flush();
                try {
                    Thread.sleep(60_000);
                    return 0;
                }
                catch (InterruptedException e) {
                    INTERRUPTED.countDown();
                    return 5;
                }
            }
            if (arguments.contains("--throw")) {
                throw new IllegalArgumentException("bad argument --throw");
            }
            out.println("arguments: " + String.join(" ", arguments));
            out.println("terminal: " + terminal);
            out.println("paths: " + System.identityHashCode(paths));
            err.println("to stderr");
            return arguments.contains("--fail") ? 3 : 0;
        }
    }

    /** Shows what a task command receives: its arguments untouched, and services of the engine's injector. */
    public static final class EchoCommand
            implements TaskCommand
    {
        private final HostPaths paths;

        @Inject
        public EchoCommand(HostPaths paths)
        {
            this.paths = requireNonNull(paths, "paths is null");
        }

        @Override
        public int run(List<String> arguments, PrintWriter out, PrintWriter err)
        {
            out.println("arguments: " + String.join(" ", arguments));
            out.println("state: " + paths.stateDir());
            return arguments.contains("--fail") ? 2 : 0;
        }
    }

    @Description("Settings of the counter job.")
    public record CounterSettings(@Description("Added to the count at each run.") Integer step)
    {
        public CounterSettings
        {
            if (step == null) {
                step = 1;
            }
            if (step < 1) {
                throw new IllegalArgumentException("step must be at least 1, not " + step);
            }
        }
    }

    public record Count(int runs) {}

    public static final class CounterJob
            implements TaskJob
    {
        @Inject
        public CounterJob() {}

        @Override
        public JobResult run(RunContext context)
        {
            int runs = context.state().read("count", Count.class).map(Count::runs).orElse(0) + context.settings(CounterSettings.class).step();
            context.state().write("count", new Count(runs));
            context.log().info("Counted to {}", runs);
            return JobResult.success("count is " + runs, Map.of("runs", runs));
        }
    }

    @Description("Settings of the sleepy job.")
    public record SleepySettings(
            @Description("The run ends once this file exists.") Path releaseFile,
            @Description("Created when the run has started.") Path startedFile,
            @Description("Longest wait.") Duration maxWait,
            @Description("Catch the stop and return a result of its own, as a job that saves what it did does. Default false.") Boolean returnWhenStopped)
    {
        public SleepySettings
        {
            if (maxWait == null) {
                maxWait = Duration.ofMinutes(1);
            }
            returnWhenStopped = returnWhenStopped != null && returnWhenStopped;
        }
    }

    public static final class SleepyJob
            implements TaskJob
    {
        @Inject
        public SleepyJob() {}

        @Override
        public JobResult run(RunContext context)
                throws Exception
        {
            SleepySettings settings = context.settings(SleepySettings.class);
            if (settings.startedFile() != null) {
                // Written beside and moved into place: a test that sees the file must also see the
                // run id in it, never an empty file caught between create and write.
                Path written = Files.createTempFile(settings.startedFile().toAbsolutePath().getParent(), "started-", ".tmp");
                Files.writeString(written, context.runId());
                Files.move(written, settings.startedFile(), StandardCopyOption.ATOMIC_MOVE);
            }
            long deadline = System.nanoTime() + settings.maxWait().toNanos();
            try {
                while (settings.releaseFile() == null || !Files.exists(settings.releaseFile())) {
                    context.checkCancelled();
                    if (System.nanoTime() > deadline) {
                        return JobResult.warning("never released", Map.of());
                    }
                    Thread.sleep(20);
                }
            }
            catch (InterruptedException e) {
                if (settings.returnWhenStopped()) {
                    return JobResult.success("stopped before its release", Map.of("stopped", true));
                }
                throw e;
            }
            return JobResult.success("released", Map.of());
        }
    }

    public static final class CallerJob
            implements TaskJob
    {
        private final JobRunner runner;

        @Inject
        public CallerJob(JobRunner runner)
        {
            this.runner = requireNonNull(runner, "runner is null");
        }

        @Override
        public JobResult run(RunContext context)
                throws InterruptedException
        {
            RunReport report = runner.runAndWait("counter", Duration.ofSeconds(30));
            return JobResult.success("counter ended " + report.outcome().jsonName() + " in run " + report.runId(), Map.of("run_id", report.runId()));
        }
    }
}
