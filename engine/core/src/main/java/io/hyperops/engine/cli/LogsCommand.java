package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.control.LocalLogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops logs [-f]}: the engine log or one run's log, through the daemon. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the engine log (or one job's lines, or one run's log); -f keeps following, across log rotation.")
final class LogsCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines (a run's log: until the run ends; Ctrl-C stops).")
    boolean follow;

    @Option(names = "--job", paramLabel = "JOB", description = "Only this job's lines.")
    String job;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "This run's own log file.")
    String run;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only lines since a time span ago (10min, 2h) or a time (2026-11-26T14:00).")
    String since;

    @Option(names = {"-n", "--lines"}, defaultValue = "100", description = "Start with the last N lines (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call()
            throws Exception
    {
        if (lines < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be 0 or more, was " + lines);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("follow", follow);
        args.put("lines", lines);
        Optional.ofNullable(job).ifPresent(value -> args.put("job", value));
        Optional.ofNullable(run).ifPresent(value -> args.put("run", value));
        Optional.ofNullable(since).ifPresent(value -> args.put("since", value));
        int[] refused = {ExitCodes.SUCCESS};
        Optional<ControlClient> daemon = DaemonCall.ifAnswering(options.controlSocket(), err, refused);
        if (refused[0] != ExitCodes.SUCCESS) {
            return refused[0];
        }
        if (daemon.isEmpty()) {
            // no daemon: the files are there all the same (after run-job --local, or with the daemon stopped)
            Optional<EngineConfig> config = options.loadOrAccepted(err);
            if (config.isEmpty()) {
                return ExitCodes.CONFIG;
            }
            try {
                LocalLogs.print(config.get(), args, out);
                return ExitCodes.SUCCESS;
            }
            catch (IllegalArgumentException e) {
                err.println("hyperops: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        JsonNode result = daemon.get().call("logs", args, (event, data) -> {
            // Heartbeats only tell the daemon whether this follower is still there.
            if (event.equals("log")) {
                out.println(data.asText());
                out.flush();
            }
        });
        return DaemonCall.check(result, err);
    }
}
