package io.hyperops.engine.cli;

import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.plugin.PluginLoader;
import picocli.CommandLine;

/** Entry point of {@code bin/hyperops}. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        // Until a command sets up logging, QuietConfigurator sends only warnings to the terminal.
        System.exit(execute(args));
    }

    /** Runs one command line in this JVM and returns its exit code; logging is the caller's to set up. */
    public static int execute(String... args)
    {
        CommandLine commandLine = new CommandLine(new HyperopsCommand());
        // The engine's own commands need no task classes to parse; leaving them unloaded keeps `status` quick.
        // `completion` lists every command, the tasks' too.
        if (args.length == 0 || !commandLine.getSubcommands().containsKey(args[0]) || args[0].equals("completion")) {
            JobCatalog catalog = JobCatalog.of(PluginLoader.discover());
            catalog.commands().values().forEach(command -> commandLine.addSubcommand(TaskCommandLauncher.spec(catalog, command)));
        }
        // '@FILE' stays an argument: a guest named '@x' is a name, and a task command the daemon runs for
        // its caller reads no argument file either (CommandDefinition.inDaemon)
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("hyperops: " + exception.getMessage());
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("Command failed", exception);
            return exception instanceof EngineOptions.MissingConfigFile ? ExitCodes.CONFIG : ExitCodes.INTERNAL_ERROR;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println("hyperops: " + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, line.getErr());
            line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return commandLine.execute(args);
    }
}
