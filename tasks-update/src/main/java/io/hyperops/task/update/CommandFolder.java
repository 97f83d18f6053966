package io.hyperops.task.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The folder of one update program while it runs: what it is ({@code command}), where it runs
 * ({@code process}: a pid and its start time, or a transient unit), what it says ({@code output}) and,
 * once it has ended, its exit code ({@code exit-code}). A small shell wrapper writes the last two, so a
 * step that outlives the daemon that started it (left to finish at a shutdown, or the daemon killed)
 * still leaves its result where the next daemon finds it.
 */
final class CommandFolder
{
    private static final String WRAPPER = "folder=$1; shift; \"$@\" >\"$folder/output\" 2>&1 </dev/null; "
            + "echo $? >\"$folder/exit-code.tmp\" && mv -f \"$folder/exit-code.tmp\" \"$folder/exit-code\"";

    private final Path folder;

    private CommandFolder(Path folder)
    {
        this.folder = requireNonNull(folder, "folder is null");
    }

    static CommandFolder create(Path root, List<String> command)
            throws IOException
    {
        Files.createDirectories(root);
        Path folder = Files.createTempDirectory(root, "command-");
        Files.writeString(folder.resolve("command"), String.join(" ", command) + "\n");
        return new CommandFolder(folder);
    }

    /** Folders of programs an earlier process started and did not see end, oldest first. */
    static List<CommandFolder> leftIn(Path root)
            throws IOException
    {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<CommandFolder> left = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted(Comparator.comparing(CommandFolder::modified)).toList()) {
                left.add(new CommandFolder(folder));
            }
        }
        return left;
    }

    /** The command wrapped so that it writes its output and exit code here. */
    List<String> wrap(List<String> command)
    {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "hyperops-update-command", folder.toAbsolutePath().toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    void startedAs(String process)
            throws IOException
    {
        Path temporary = folder.resolve("process.tmp");
        Files.writeString(temporary, process + "\n");
        Files.move(temporary, folder.resolve("process"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code pid PID START_MILLIS} or {@code unit NAME}; empty when the program never started. */
    Optional<String> process()
            throws IOException
    {
        Path file = folder.resolve("process");
        return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    }

    String command()
            throws IOException
    {
        Path file = folder.resolve("command");
        return Files.exists(file) ? Files.readString(file).strip() : "(unknown)";
    }

    OptionalInt exitCode()
            throws IOException
    {
        Path file = folder.resolve("exit-code");
        if (!Files.exists(file)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(file).strip()));
        }
        catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The output so far; bytes that are not UTF-8 (a package's description) are replaced, not an error. */
    String output()
            throws IOException
    {
        Path file = folder.resolve("output");
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip() : "";
    }

    Path path()
    {
        return folder;
    }

    void delete()
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }

    private static long modified(Path folder)
    {
        try {
            return Files.getLastModifiedTime(folder).toMillis();
        }
        catch (IOException e) {
            return 0;
        }
    }
}
