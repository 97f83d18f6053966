package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.run.JobSummary;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.spi.RunOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops jobs}: every job with its schedule, next fire and last outcome. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs: enabled, schedule, next fire, last outcome (from the daemon when it runs, else from the files).")
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
            throws Exception
    {
        ObjectMapper mapper = JsonMapper.create();
        // the daemon first: it answers with its running config even when the file holds a refused edit
        Optional<List<JobSummary>> fromDaemon = fromDaemon(mapper);
        Optional<EngineConfig> loaded = fromDaemon.isPresent() ? options.loadBesideDaemon(spec.commandLine().getErr()) : options.loadOrAccepted(spec.commandLine().getErr());
        if (fromDaemon.isEmpty() && loaded.isEmpty()) {
            return ExitCodes.CONFIG;
        }
        List<JobSummary> rows = fromDaemon.orElseGet(() -> fromFiles(loaded.orElseThrow(), mapper));
        if (json) {
            spec.commandLine().getOut().println(mapper.writeValueAsString(rows));
            spec.commandLine().getOut().flush();
            return ExitCodes.SUCCESS;
        }
        ZoneId zone = loaded.map(config -> config.engine().timeZone()).orElse(ZoneId.systemDefault());
        Table table = new Table("JOB", "ENABLED", "SCHEDULE", "NEXT", "LAST");
        for (JobSummary row : rows) {
            table.add(row.name(), row.paused() ? "paused" : row.enabled() ? "yes" : "no", row.schedule(),
                    row.nextFire().map(next -> WHEN.format(next.atZone(zone))).orElse("-"),
                    row.lastOutcome().map(outcome -> outcome.jsonName() + " " + WHEN.format(row.lastStart().orElseThrow().atZone(zone))).orElse("never"));
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }

    private Optional<List<JobSummary>> fromDaemon(ObjectMapper mapper)
            throws Exception
    {
        Optional<ControlClient> daemon = DaemonCall.ifRunning(options.controlSocket());
        if (daemon.isEmpty()) {
            return Optional.empty();
        }
        JsonNode result = DaemonCall.call(daemon.get(), "jobs", Map.of());
        if (!result.path("ok").asBoolean()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.asList(mapper.treeToValue(result.path("data"), JobSummary[].class)));
    }

    private static List<JobSummary> fromFiles(EngineConfig config, ObjectMapper mapper)
    {
        RunHistory history = new RunHistory(config.engine().paths(), new JsonFileStore(mapper));
        Instant now = Instant.now();
        List<JobSummary> rows = new ArrayList<>();
        for (JobConfig job : config.jobs().values()) {
            Optional<Instant> next = job.scheduled() ? job.schedule().nextFireAfter(now).map(ZonedDateTime::toInstant) : Optional.empty();
            rows.add(JobSummary.of(config, job, history, next, false));
        }
        return rows;
    }

    // Keeps RunOutcome's JSON names in one place for the table.
    static String outcomeName(Optional<RunOutcome> outcome)
    {
        return outcome.map(RunOutcome::jsonName).orElse("running");
    }
}
