package io.hyperops.spi;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A top-level command a task offers: its name on the command line, the class that runs it, one line of
 * help, and which of its invocations a running daemon runs for an admin.
 *
 * @param inDaemon given the command's arguments, whether a running daemon runs it for an admin: its
 *        work then happens in a JVM that is warm and holds the engine's connections, with the output
 *        and progress streamed back; otherwise, for anyone else and with {@code --local}, in the calling
 *        process. Only for invocations that read nothing from standard input, name no file the caller
 *        means in its own view of the file system (the daemon's unit has a private /tmp and a read-only
 *        system), and do not restart the daemon. The command must not expand {@code @FILE} arguments
 *        (picocli: {@code setExpandAtFiles(false)}): the daemon would read the file as root for its caller.
 * @param readOnly given the command's arguments, whether it only reads (lists, shows status): such an
 *        invocation runs on the config the daemon last accepted when the file holds an edit it refused;
 *        any other refuses to run on a config the operator did not mean (exit 78)
 */
public record CommandDefinition(String name, Class<? extends TaskCommand> type, String description, Predicate<List<String>> inDaemon, Predicate<List<String>> readOnly)
{
    /** Every invocation runs in the calling process. */
    public static final Predicate<List<String>> IN_PROCESS = arguments -> false;

    /** No invocation is read-only: each may change the host. */
    public static final Predicate<List<String>> CHANGES_THE_HOST = arguments -> false;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public CommandDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        requireNonNull(inDaemon, "inDaemon is null");
        requireNonNull(readOnly, "readOnly is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("command name '" + name + "' must be lower-case letters, digits and dashes");
        }
    }

    /** A command that always runs in the calling process. */
    public CommandDefinition(String name, Class<? extends TaskCommand> type, String description)
    {
        this(name, type, description, IN_PROCESS, CHANGES_THE_HOST);
    }

    /** A command some of whose invocations a running daemon runs; none only reads. */
    public CommandDefinition(String name, Class<? extends TaskCommand> type, String description, Predicate<List<String>> inDaemon)
    {
        this(name, type, description, inDaemon, CHANGES_THE_HOST);
    }

    /** Invocations whose first word (not an option) is one of these subcommands, e.g. {@code list} of {@code backup list}. */
    public static Predicate<List<String>> subcommands(String... names)
    {
        List<String> subcommands = List.of(names);
        return arguments -> arguments.stream().filter(argument -> !argument.startsWith("-")).findFirst().map(subcommands::contains).orElse(false);
    }
}
