package io.hyperops.task.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The folder of one update program while it runs: what it is ({@code command}), which process started
 * it ({@code owner}), whether it is a step that changes the host ({@code step}) and by when it must end
 * ({@code deadline}), whether its owner let it go ({@code left}), where it runs ({@code process}: a pid with its start, or a transient unit), what it
 * says ({@code output}) and, once it has ended, its exit code ({@code exit-code}). A small shell wrapper
 * writes the last two, so a step that outlives the process that started it (left to finish at a
 * shutdown, or that process killed) still leaves its result where the next daemon finds it.
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

    static CommandFolder create(Path root, List<String> command, boolean step, Instant deadline)
            throws IOException
    {
        Files.createDirectories(root);
        Path folder = Files.createTempDirectory(root, "command-");
        Files.writeString(folder.resolve("command"), String.join(" ", command) + "\n");
        Files.writeString(folder.resolve("deadline"), deadline.toEpochMilli() + "\n");
        if (step) {
            Files.createFile(folder.resolve("step"));
        }
        CommandFolder created = new CommandFolder(folder);
        // last, and whole: a folder with an owner is complete, one without is still being made
        created.writeAtomically("owner", ProcessStart.of(ProcessHandle.current().pid()).orElse("unknown"));
        return created;
    }

    /**
     * Folders nobody watches any more, oldest first: their owner is gone (a process that died or was
     * stopped while its program ran), or it let the program go ({@link #markLeft}: a run stopped by its
     * time-out in a daemon that goes on). A folder a live process still waits on (a check running now, a
     * command from a shell) is not one.
     */
    static List<CommandFolder> orphans(Path root)
            throws IOException
    {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<CommandFolder> orphans = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted(Comparator.comparing(CommandFolder::modified)).toList()) {
                CommandFolder candidate = new CommandFolder(folder);
                Optional<String> owner = candidate.read("owner");
                // a folder whose owner file is not written yet belongs to a process that is creating it now;
                // an owner that could not be named ("unknown") counts as gone
                if (Files.exists(folder.resolve("left")) || owner.isPresent() && !ProcessStart.alive(owner.get())) {
                    orphans.add(candidate);
                }
            }
        }
        return orphans;
    }

    /** The command wrapped so that it writes its output and exit code here. */
    List<String> wrap(List<String> command)
    {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "hyperops-update-command", folder.toAbsolutePath().toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Its owner stops waiting for the program, which goes on: the next update run waits for it instead. */
    void markLeft()
            throws IOException
    {
        Files.writeString(folder.resolve("left"), "");
    }

    /** @param process {@code pid PID START} or {@code unit NAME} */
    void startedAs(String process)
            throws IOException
    {
        writeAtomically("process", process);
    }

    private void writeAtomically(String name, String content)
            throws IOException
    {
        Path temporary = folder.resolve(name + ".tmp");
        Files.writeString(temporary, content + "\n");
        Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code pid PID START} or {@code unit NAME}; empty when the program never started. */
    Optional<String> process()
            throws IOException
    {
        return read("process");
    }

    boolean isStep()
    {
        return Files.exists(folder.resolve("step"));
    }

    Optional<Instant> deadline()
            throws IOException
    {
        try {
            return read("deadline").map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    String command()
            throws IOException
    {
        return read("command").orElse("(unknown)");
    }

    OptionalInt exitCode()
            throws IOException
    {
        try {
            return read("exit-code").map(code -> OptionalInt.of(Integer.parseInt(code))).orElse(OptionalInt.empty());
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
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        }
        catch (NoSuchFileException e) {
            return "";
        }
    }

    Path path()
    {
        return folder;
    }

    /** Deletes the folder; one another process deleted first is fine. */
    void delete()
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(folder);
    }

    private Optional<String> read(String name)
            throws IOException
    {
        try {
            return Optional.of(Files.readString(folder.resolve(name)).strip());
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
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
