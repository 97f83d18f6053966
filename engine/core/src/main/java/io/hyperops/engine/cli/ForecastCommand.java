package io.hyperops.engine.cli;

import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
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
import java.util.List;
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

    @Override
    public Integer call()
    {
        if (count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-c must be 0 or more, was " + count);
        }
        Optional<EngineConfig> loaded = options.loadOrReport(spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.CONFIG;
        }
        EngineConfig config = loaded.get();
        if (job != null && config.job(job).isEmpty()) {
            spec.commandLine().getErr().println("hyperops: no job named '" + job + "'" + Suggestions.didYouMean(job, config.jobs().keySet()));
            return ExitCodes.USAGE;
        }
        Table table = new Table("JOB", "SCHEDULE", "FIRES");
        Instant now = Instant.now();
        for (JobConfig candidate : config.jobs().values()) {
            if ((job != null && !candidate.name().equals(job)) || !candidate.scheduled()) {
                continue;
            }
            List<ZonedDateTime> fires = candidate.schedule().nextFires(now, count);
            for (int index = 0; index < fires.size(); index++) {
                table.add(index == 0 ? candidate.name() : "", index == 0 ? candidate.schedule().toString() : "", JobsCommand.WHEN.format(fires.get(index)));
            }
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.SUCCESS;
    }
}
