package io.hyperops.spi;

import java.io.PrintWriter;
import java.util.List;

/**
 * A command a task adds to the {@code hyperops} command line, e.g. {@code hyperops preflight vm-create}.
 * The engine loads the config, builds the injector (no scheduler) and hands over every argument after
 * the command's name, {@code --help} included: the task parses them itself (picocli is a fine choice).
 * Bind the class in the task's module and list it in {@link TaskPlugin#commands()}.
 */
public interface TaskCommand
{
    /** Returns the process exit code: 0 when all is well; see docs/cli.md for the shared ones. */
    int run(List<String> arguments, PrintWriter out, PrintWriter err)
            throws Exception;

    /**
     * The same, run for a caller elsewhere: in the daemon ({@link CommandDefinition#inDaemon}) the
     * process has no terminal of its own, and {@code terminal} says whether the caller's has one,
     * where progress lines are welcome. Override it when the command shows progress.
     */
    default int run(List<String> arguments, PrintWriter out, PrintWriter err, boolean terminal)
            throws Exception
    {
        return run(arguments, out, err);
    }
}
