package io.hyperops.task.update;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@link CommandRunner} over {@link ProcessBuilder}. Standard input is closed so that no program waits
 * for an answer (git asking for a password, apt asking to continue); a program still running at the
 * time-out is killed with its children.
 *
 * <p>In the daemon under systemd, every program runs in a transient service of its own
 * ({@link TransientUnit}: outside the unit's sandbox and control group); elsewhere as a child. Either
 * way the output goes to a file, so a chatty program (apt, nixos-rebuild) never blocks on a full pipe.
 */
public final class ProcessCommandRunner
        implements CommandRunner
{
    private final Optional<TransientUnit> units;

    /** Programs as children of this process. */
    public ProcessCommandRunner()
    {
        this(Optional.empty());
    }

    ProcessCommandRunner(Optional<TransientUnit> units)
    {
        this.units = requireNonNull(units, "units is null");
    }

    /** Transient units when this process is a systemd service, their output files in {@code outputs}. */
    public static ProcessCommandRunner forThisProcess(Path outputs)
    {
        return new ProcessCommandRunner(TransientUnit.forThisProcess(outputs));
    }

    @Override
    public Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        return run(command, directory, environment, timeout, false);
    }

    @Override
    public Result runStep(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        return run(command, directory, environment, timeout, true);
    }

    private Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout, boolean step)
            throws IOException, InterruptedException
    {
        // Java would blame the program ("Cannot run program") for a missing working folder.
        if (!Files.isDirectory(directory)) {
            throw new IOException("cannot run '" + String.join(" ", command) + "': its working folder " + directory + " does not exist");
        }
        if (units.isPresent()) {
            return inUnit(units.get(), command, directory, environment, timeout, step);
        }
        // output to a file, not a pipe: a step left running must not die on its next write once this
        // process, the pipe's reader, is gone
        Path output = Files.createTempFile("hyperops-command-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    return new Result(command, -1, readOutput(output), true);
                }
                return new Result(command, process.exitValue(), readOutput(output), false);
            }
            catch (InterruptedException e) {
                if (step) {
                    // dpkg or a switch stopped half-way leaves a broken host; finishing is the lesser harm
                    String where = "'" + String.join(" ", command) + "' is left to finish as process " + process.pid() + " (its output: " + output + ")";
                    output = null;
                    throw new LeftRunningException(where);
                }
                kill(process);
                throw e;
            }
        }
        finally {
            if (output != null) {
                Files.deleteIfExists(output);
            }
        }
    }

    private static Result inUnit(TransientUnit units, List<String> command, Path directory, Map<String, String> environment, Duration timeout, boolean step)
            throws IOException, InterruptedException
    {
        TransientUnit.Started started = units.start(command, directory, environment);
        try {
            if (!started.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                units.kill(started);
                return new Result(command, -1, started.takeOutput(), true);
            }
        }
        catch (InterruptedException e) {
            if (step) {
                throw new LeftRunningException("'" + String.join(" ", command) + "' is left to finish in " + started.unit()
                        + ".service (systemctl status " + started.unit() + "; its output: " + started.output() + ")");
            }
            units.kill(started);
            throw e;
        }
        return new Result(command, started.process().exitValue(), started.takeOutput(), false);
    }

    private static String readOutput(Path file)
            throws IOException
    {
        // bytes that are not UTF-8 (a package's description) are replaced, not an error
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip() : "";
    }

    private static void kill(Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
