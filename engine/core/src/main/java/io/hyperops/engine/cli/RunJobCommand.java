package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperops.engine.Engine;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code hyperops run-job NAME}: through the daemon when it runs, so the run is serialized with scheduled
 * ones and recorded the same way; in this process otherwise (or with {@code --local}), with the same
 * state, history, logs and lock.
 */
@Command(name = "run-job", mixinStandardHelpOptions = true,
        description = "Run a job now. Through the daemon: prints the run id; --wait exits with the run's outcome; --follow streams its log. Without a daemon (or with --local) it runs here and waits.")
final class RunJobCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "Job name, as listed by 'hyperops jobs'.")
    String job;

    @Option(names = "--wait", description = "Wait for the run to end and exit with its outcome (0 success, 1 warning, 2 failed, 4 timed out, 5 interrupted).")
    boolean waitForEnd;

    @Option(names = "--follow", description = "Stream the run's log while it runs, then exit with its outcome.")
    boolean follow;

    @Option(names = "--local", description = "Run in this process even if the daemon runs (the per-job lock still keeps the two apart).")
    boolean local;

    @Option(names = "--json", description = "Print the run record as JSON.")
    boolean json;

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter err = spec.commandLine().getErr();
        if (!local) {
            // The daemon runs on the config it accepted: a file with a refused edit must not block this.
            int[] refused = {ExitCodes.SUCCESS};
            Optional<ControlClient> daemon = DaemonCall.ifAnswering(options.controlSocket(), err, refused);
            if (refused[0] != ExitCodes.SUCCESS) {
                return refused[0];
            }
            if (daemon.isPresent()) {
                return throughDaemon(daemon.get());
            }
        }
        // a run changes things: never on a config other than the file the operator wrote
        Optional<EngineConfig> loaded = options.loadOrReport(err);
        if (loaded.isEmpty()) {
            return ExitCodes.CONFIG;
        }
        EngineConfig config = loaded.get();
        if (config.job(job).isEmpty()) {
            err.println("hyperops: no job named '" + job + "'" + Suggestions.didYouMean(job, config.jobs().keySet()) + " (jobs: " + String.join(", ", config.jobs().keySet()) + ")");
            return ExitCodes.USAGE;
        }
        if (!local) {
            err.println("hyperops: no daemon answers on " + config.engine().controlSocket() + ": running in-process");
        }
        return inProcess(config);
    }

    private int throughDaemon(ControlClient daemon)
            throws IOException
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // with --json, stdout carries JSON only: the run record, or the submission when not waiting; the rest goes to stderr
        JsonNode[] submitted = new JsonNode[1];
        JsonNode result = daemon.call("run-job", Map.of("job", job, "wait", waitForEnd, "follow", follow), (event, data) -> {
            if (event.equals("submitted")) {
                submitted[0] = data;
                String state = data.path("state").asText();
                String reason = data.path("reason").asText();
                if (state.equals("skipped")) {
                    err.println("hyperops: run " + data.path("run_id").asText() + " not started: " + reason.replaceFirst("^skipped: ", ""));
                }
                else {
                    (json ? err : out).println("run " + data.path("run_id").asText() + " " + (state.equals("admitted") ? "started" : state + " (" + reason + ")"));
                }
            }
            else if (event.equals("log")) {
                (json ? err : out).println(data.asText());
            }
            out.flush();
            err.flush();
        });
        int exitCode = DaemonCall.check(result, err);
        if (result.path("ok").asBoolean() && (waitForEnd || follow)) {
            JsonNode record = result.path("data");
            if (json) {
                out.println(ControlClient.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
            }
            else {
                out.println(record.path("run_id").asText() + " " + record.path("outcome").asText() + ": " + record.path("summary").asText());
            }
        }
        else if (result.path("ok").asBoolean() && json && submitted[0] != null) {
            out.println(ControlClient.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(submitted[0]));
        }
        out.flush();
        return exitCode;
    }

    private int inProcess(EngineConfig config)
            throws InterruptedException, IOException
    {
        PrintWriter err = spec.commandLine().getErr();
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
