package io.hyperops.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.text.Suggestions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops forecast [JOB]}: when the schedules fire next, from the config file. */
@Command(name = "forecast", mixinStandardHelpOptions = true, description = "Next fire times of every scheduled job, or of one (jitter not included).")
final class ForecastCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "JOB")
    String job;

    @Option(names = {"-c", "--count"}, defaultValue = "5", description = "How many fire times per job (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--json", description = "Print as JSON: [{\"job\", \"schedule\", \"fires\": [ISO-8601 times with offset]}].")
    boolean json;

    /** One scheduled job's next fire times, in the config's time zone. */
    record Forecast(String job, String schedule, List<ZonedDateTime> fires)
    {
        /** As JSON has them: ISO-8601 with the offset, which the zone's name would not parse back into. */
        Map<String, Object> json()
        {
            return Map.of("job", job, "schedule", schedule, "fires", fires.stream().map(fire -> fire.toOffsetDateTime().toString()).toList());
        }
    }

    @Override
    public Integer call()
            throws JsonProcessingException
    {
        if (count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-c must be 0 or more, was " + count);
        }
        Optional<EngineConfig> loaded = options.loadOrAccepted(spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.CONFIG;
        }
        EngineConfig config = loaded.get();
        if (job != null && config.job(job).isEmpty()) {
            spec.commandLine().getErr().println("hyperops: no job named '" + job + "'" + Suggestions.didYouMean(job, config.jobs().keySet()));
            return ExitCodes.USAGE;
        }
        Instant now = Instant.now();
        List<Forecast> forecasts = new ArrayList<>();
        for (JobConfig candidate : config.jobs().values()) {
            if ((job == null || candidate.name().equals(job)) && candidate.scheduled()) {
                forecasts.add(new Forecast(candidate.name(), candidate.schedule().toString(),
                        candidate.schedule().nextFires(now, count)));
            }
        }
        if (json) {
            spec.commandLine().getOut().println(JsonMapper.create().writeValueAsString(forecasts.stream().map(Forecast::json).toList()));
            spec.commandLine().getOut().flush();
            return ExitCodes.SUCCESS;
        }
        Table table = new Table("JOB", "SCHEDULE", "FIRES");
        for (Forecast forecast : forecasts) {
            for (int index = 0; index < forecast.fires().size(); index++) {
                table.add(index == 0 ? forecast.job() : "", index == 0 ? forecast.schedule() : "", JobsCommand.WHEN.format(forecast.fires().get(index)));
            }
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }
}
