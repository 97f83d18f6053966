package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops history [JOB]}: recent runs, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show recent runs, newest first.")
final class HistoryCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "JOB", description = "Only this job's runs.")
    String job;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call()
            throws Exception
    {
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n must be 0 or more, was " + limit);
        }
        ObjectMapper mapper = JsonMapper.create();
        // the daemon first: it answers with its running config even when the file holds a refused edit
        Optional<List<RunRecord>> fromDaemon = fromDaemon(mapper);
        Optional<EngineConfig> loaded = fromDaemon.isPresent() ? options.loadBesideDaemon(spec.commandLine().getErr()) : options.loadOrAccepted(spec.commandLine().getErr());
        if (fromDaemon.isEmpty() && loaded.isEmpty()) {
            return ExitCodes.CONFIG;
        }
        List<RunRecord> records = fromDaemon.orElseGet(() ->
                new RunHistory(loaded.orElseThrow().engine().paths(), new JsonFileStore(mapper)).list(Optional.ofNullable(job), limit));
        ZoneId zone = loaded.map(config -> config.engine().timeZone()).orElse(ZoneId.systemDefault());
        if (json) {
            spec.commandLine().getOut().println(mapper.writeValueAsString(records));
            spec.commandLine().getOut().flush();
            return ExitCodes.SUCCESS;
        }
        Table table = new Table("RUN", "TRIGGER", "START", "TOOK", "OUTCOME", "SUMMARY");
        for (RunRecord record : records) {
            String took = record.end().map(end -> String.format("%.1fs", Duration.between(record.start(), end).toMillis() / 1000.0)).orElse("-");
            table.add(record.runId(), record.trigger().jsonName(), JobsCommand.WHEN.format(record.start().atZone(zone)),
                    took, JobsCommand.outcomeName(record.outcome()), record.summary());
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }

    // The daemon's view when it runs: the files may not be readable to an operator.
    private Optional<List<RunRecord>> fromDaemon(ObjectMapper mapper)
            throws Exception
    {
        Optional<ControlClient> daemon = DaemonCall.ifRunning(options.controlSocket());
        if (daemon.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("limit", limit);
        Optional.ofNullable(job).ifPresent(name -> args.put("job", name));
        JsonNode result = DaemonCall.call(daemon.get(), "history", args);
        return result.path("ok").asBoolean() ? Optional.of(Arrays.asList(mapper.treeToValue(result.path("data"), RunRecord[].class))) : Optional.empty();
    }
}
