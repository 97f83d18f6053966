package io.hyperops.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hyperops.engine.Engine;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.logging.LogSetup;
import io.hyperops.engine.run.RunRecord;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code hyperops run-job NAME}: runs a job now, in this process, with the same state, history, logs
 * and lock as the daemon, so it never runs alongside a scheduled run of the same job.
 */
@Command(name = "run-job", mixinStandardHelpOptions = true,
        description = "Run a job now and wait for it. Exits with the run's outcome (0 success, 1 warning, 2 failed, 3 already running, 4 timed out, 5 interrupted).")
final class RunJobCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "Job name, as listed by 'hyperops jobs'.")
    String job;

    @Option(names = "--json", description = "Print the run record as JSON.")
    boolean json;

    @Override
    public Integer call()
            throws InterruptedException, JsonProcessingException
    {
        PrintWriter err = spec.commandLine().getErr();
        EngineConfig config;
        try {
            config = options.load();
        }
        catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        if (config.job(job).isEmpty()) {
            err.println("hyperops: no job named '" + job + "'" + Suggestions.didYouMean(job, config.jobs().keySet()) + " (jobs: " + String.join(", ", config.jobs().keySet()) + ")");
            return ExitCodes.USAGE;
        }
        LogSetup.withFiles(config.engine().logDir(), LogSetup.Console.TERMINAL);
        RunRecord record;
        try (Engine engine = Engine.create(config, options.catalog(), Clock.systemDefaultZone())) {
            record = engine.run(job, Trigger.MANUAL);
        }
        RunOutcome outcome = record.outcome().orElse(RunOutcome.INTERRUPTED);
        if (json) {
            spec.commandLine().getOut().println(JsonMapper.create().writeValueAsString(record));
        }
        else if (outcome == RunOutcome.SKIPPED) {
            err.println("hyperops: " + record.summary().replaceFirst("^skipped: ", "") + "; not started");
        }
        else {
            Duration took = Duration.between(record.start(), record.end().orElse(record.start()));
            spec.commandLine().getOut().printf("%s %s in %.1f s: %s%n  log: %s%n", record.runId(), outcome.jsonName(), took.toMillis() / 1000.0, record.summary(), record.logFile());
        }
        spec.commandLine().getOut().flush();
        return outcome == RunOutcome.SKIPPED ? ExitCodes.ALREADY_RUNNING : outcome.exitCode();
    }
}
