package io.hyperops.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops jobs}: every job with its schedule, next fire and last outcome. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs: enabled, schedule, next fire, last outcome.")
final class JobsCommand
        implements Callable<Integer>
{
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

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
        List<JobRow> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (JobConfig job : config.jobs().values()) {
            Optional<ZonedDateTime> next = job.scheduled() ? job.schedule().nextFireAfter(now) : Optional.empty();
            Optional<RunRecord> last = history.lastFinished(job.name());
            rows.add(new JobRow(job.name(), job.enabled(), job.schedule().expression(), next,
                    last.flatMap(RunRecord::outcome).map(outcome -> outcome.jsonName()), last.map(RunRecord::start), job.definition().description()));
        }
        if (json) {
            spec.commandLine().getOut().println(JsonMapper.create().writeValueAsString(rows));
        }
        else {
            Table table = new Table("JOB", "ENABLED", "SCHEDULE", "NEXT", "LAST");
            for (JobRow row : rows) {
                table.add(row.name(), row.enabled() ? "yes" : "no", row.schedule(),
                        row.nextFire().map(WHEN::format).orElse("-"),
                        row.lastOutcome().map(outcome -> outcome + " " + WHEN.format(row.lastStart().orElseThrow().atZone(config.engine().timeZone()))).orElse("never"));
            }
            table.print(spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }

    record JobRow(String name, boolean enabled, String schedule, Optional<ZonedDateTime> nextFire, Optional<String> lastOutcome, Optional<Instant> lastStart, String description) {}
}
