package io.hyperops.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
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
            throws JsonProcessingException
    {
        EngineConfig config;
        try {
            config = options.load();
        }
        catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        RunHistory history = new RunHistory(config.engine().paths(), new JsonFileStore(JsonMapper.create()));
        List<RunRecord> records = history.list(Optional.ofNullable(job), limit);
        if (json) {
            spec.commandLine().getOut().println(JsonMapper.create().writeValueAsString(records));
            return ExitCodes.SUCCESS;
        }
        Table table = new Table("RUN", "TRIGGER", "START", "TOOK", "OUTCOME", "SUMMARY");
        for (RunRecord record : records) {
            String took = record.end().map(end -> String.format("%.1fs", Duration.between(record.start(), end).toMillis() / 1000.0)).orElse("-");
            table.add(record.runId(), record.trigger().jsonName(), JobsCommand.WHEN.format(record.start().atZone(config.engine().timeZone())),
                    took, record.outcome().map(outcome -> outcome.jsonName()).orElse("running"), record.summary());
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }
}
