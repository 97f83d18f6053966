package io.hyperops.engine.cli;

import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigReference;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.JobConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code hyperops config check|reference}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check the config file, or print its reference.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Reload.class, ConfigCommand.Reference.class})
final class ConfigCommand
        implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a config file and list every problem with line and column. Exit 0 if valid, 78 if not.")
    static final class Check
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: the --config file).")
        Path file;

        @Override
        public Integer call()
        {
            Path target = file != null ? file : options.configFile;
            try {
                EngineConfig config = options.load(target);
                long scheduled = config.jobs().values().stream().filter(JobConfig::scheduled).count();
                spec.commandLine().getOut().printf("%s: valid (%d jobs, %d scheduled)%n", target, config.jobs().size(), scheduled);
                return ExitCodes.SUCCESS;
            }
            catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.CONFIG;
            }
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Make the daemon read its config file now (admin). An invalid file is refused and the config in force stays.")
    static final class Reload
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws Exception
        {
            int[] exitCode = {ExitCodes.SUCCESS};
            java.util.Optional<ControlClient> daemon = DaemonCall.require(options.controlSocket(), spec.commandLine().getErr(), exitCode);
            if (daemon.isEmpty()) {
                return exitCode[0];
            }
            com.fasterxml.jackson.databind.JsonNode result = DaemonCall.call(daemon.get(), "config-reload", java.util.Map.of());
            if (result.path("ok").asBoolean()) {
                spec.commandLine().getOut().println("config reloaded from " + result.path("data").path("file").asText());
                spec.commandLine().getOut().flush();
            }
            return DaemonCall.check(result, spec.commandLine().getErr());
        }
    }

    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Print the reference of every config key, generated from the settings records (docs/configuration.md).")
    static final class Reference
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            spec.commandLine().getOut().print(ConfigReference.render(options.catalog()));
            spec.commandLine().getOut().flush();
            return ExitCodes.SUCCESS;
        }
    }
}
