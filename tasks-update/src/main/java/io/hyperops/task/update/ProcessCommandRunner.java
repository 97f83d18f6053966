package io.hyperops.task.update;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * {@link CommandRunner} for the host: each program runs with its output and exit code in a
 * {@link CommandFolder}, its standard input closed so that none waits for an answer (git asking for a
 * password, apt asking to continue), and a program still running at its time-out is killed with its
 * children.
 *
 * <p>In the daemon under systemd, every program runs in a transient service of its own
 * ({@link TransientUnit}: outside the unit's sandbox and control group); elsewhere as a child. Either
 * way the output goes to a file, never a pipe: a step left running must not die on its next write once
 * this process, the pipe's reader, is gone, and a chatty program never blocks on a full pipe.
 */
public final class ProcessCommandRunner
        implements CommandRunner
{
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Path folders;
    private final Optional<TransientUnit> units;
    // whether a unit an earlier daemon started still runs: asked of systemd whenever there is one, also
    // by a command from a shell, which starts no units itself
    private final Optional<TransientUnit> unitStates;

    /** Programs as children of this process, their folders in a temporary folder. */
    public ProcessCommandRunner()
    {
        this(Path.of(System.getProperty("java.io.tmpdir"), "hyperops-update-commands"), Optional.empty());
    }

    ProcessCommandRunner(Path folders, Optional<TransientUnit> units)
    {
        this(folders, units, units.or(TransientUnit::ifBooted));
    }

    ProcessCommandRunner(Path folders, Optional<TransientUnit> units, Optional<TransientUnit> unitStates)
    {
        this.folders = requireNonNull(folders, "folders is null");
        this.units = requireNonNull(units, "units is null");
        this.unitStates = requireNonNull(unitStates, "unitStates is null");
    }

    /** Transient units when this process is a systemd service; the programs' folders in {@code folders}. */
    public static ProcessCommandRunner forThisProcess(Path folders)
    {
        return new ProcessCommandRunner(folders, TransientUnit.forThisProcess());
    }

    @Override
    public Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        return execute(command, directory, environment, timeout, false);
    }

    @Override
    public Result runStep(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        return execute(command, directory, environment, timeout, true);
    }

    /**
     * Waits for the steps that processes now gone left running, each until it ends or its deadline
     * passes (then it is killed), and hands back how each ended; their folders stay until
     * {@link #forgetLeftRunning}. Folders of plain commands they left are removed once their program has
     * ended; programs of live processes are not touched.
     */
    @Override
    public List<Result> awaitLeftRunning(Consumer<String> waiting)
            throws IOException, InterruptedException
    {
        List<Result> ended = new ArrayList<>();
        for (CommandFolder folder : CommandFolder.orphans(folders)) {
            if (!folder.isStep()) {
                if (folder.exitCode().isPresent() || !alive(folder)) {
                    folder.delete();
                }
                continue;
            }
            List<String> command = List.of(folder.command());
            boolean told = false;
            boolean killed = false;
            while (folder.exitCode().isEmpty() && alive(folder)) {
                if (!told) {
                    waiting.accept("'" + folder.command() + "' (" + folder.process().orElse("") + ")");
                    told = true;
                }
                if (folder.deadline().map(Instant.now()::isAfter).orElse(false) && !killed) {
                    kill(folder);
                    killed = true;
                }
                Thread.sleep(POLL.toMillis());
            }
            OptionalInt exit = folder.exitCode();
            String output = folder.output();
            String how = killed ? "killed at its time-out" : "ended without an exit code: killed, or the host restarted";
            ended.add(new Result(command, exit.orElse(-1), exit.isPresent() ? output : (output + "\n(" + how + ")").strip(), killed));
        }
        return ended;
    }

    /** Removes the folders of steps processes now gone left, once their programs have ended. */
    @Override
    public void forgetLeftRunning()
            throws IOException
    {
        for (CommandFolder folder : CommandFolder.orphans(folders)) {
            if (folder.isStep() && (folder.exitCode().isPresent() || !alive(folder))) {
                folder.delete();
            }
        }
    }

    private Result execute(List<String> command, Path directory, Map<String, String> environment, Duration timeout, boolean step)
            throws IOException, InterruptedException
    {
        // Java would blame the program ("Cannot run program") for a missing working folder.
        if (!Files.isDirectory(directory)) {
            throw new IOException("cannot run '" + String.join(" ", command) + "': its working folder " + directory + " does not exist");
        }
        if (!installed(command.get(0))) {
            throw new IOException("cannot run '" + String.join(" ", command) + "': " + command.get(0) + " is not installed (not found in " + System.getenv("PATH") + ")");
        }
        CommandFolder folder = CommandFolder.create(folders, command, step, Instant.now().plus(timeout));
        boolean leftRunning = false;
        try {
            Running running = units.isPresent() ? inUnit(units.get(), folder, command, directory, environment, timeout) : asChild(folder, command, directory, environment);
            try {
                if (!running.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.kill().run();
                    return new Result(command, -1, both(folder.output(), running.ownOutput()), true);
                }
            }
            catch (InterruptedException e) {
                if (step) {
                    // dpkg or a switch stopped half-way leaves a broken host; finishing is the lesser harm
                    leftRunning = true;
                    try {
                        folder.markLeft();
                    }
                    catch (IOException markFailed) {
                        // the step runs on all the same; once this process is gone its folder is an orphan anyway
                    }
                    throw new LeftRunningException("'" + String.join(" ", command) + "' is left to finish as " + folder.process().orElse("?")
                            + " (its output: " + folder.path().resolve("output") + ")");
                }
                running.kill().run();
                throw e;
            }
            OptionalInt exit = folder.exitCode();
            // no exit code written: the wrapper itself did not get to the end (the unit was never started)
            int code = exit.orElse(running.process().exitValue() == 0 ? -1 : running.process().exitValue());
            return new Result(command, code, both(folder.output(), running.ownOutput()), false);
        }
        finally {
            if (!leftRunning) {
                folder.delete();
            }
        }
    }

    private static Running asChild(CommandFolder folder, List<String> command, Path directory, Map<String, String> environment)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(folder.wrap(command))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Runnable kill = () -> killTree(process.toHandle());
        try {
            folder.startedAs("pid " + ProcessStart.of(process.pid()).orElse(process.pid() + " 0"));
        }
        catch (IOException e) {
            // a program nobody could find again must not run on unseen
            kill.run();
            throw e;
        }
        return new Running(process, kill, Optional.empty());
    }

    private static Running inUnit(TransientUnit units, CommandFolder folder, List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException
    {
        // on record before it starts: a daemon killed right after the start still leaves it findable
        String unit = TransientUnit.newName();
        folder.startedAs("unit " + unit);
        TransientUnit.Started started = units.start(unit, folder.wrap(command), "hyperops update: " + String.join(" ", command), directory, environment, timeout, folder.path());
        return new Running(started.process(), () -> units.kill(started), Optional.of(started.ownLog()));
    }

    /** Whether the program of a folder a process now gone left still runs. */
    private boolean alive(CommandFolder folder)
            throws IOException
    {
        Optional<String> process = folder.process();
        if (process.isEmpty()) {
            return false;
        }
        String[] fields = process.get().split(" ", 2);
        if (fields[0].equals("unit") && fields.length == 2) {
            return unitStates.map(unit -> unit.isActive(fields[1])).orElse(false);
        }
        return fields[0].equals("pid") && fields.length == 2 && ProcessStart.alive(fields[1]);
    }

    private void kill(CommandFolder folder)
            throws IOException
    {
        String[] fields = folder.process().orElse("").split(" ", 2);
        if (fields[0].equals("unit") && fields.length == 2) {
            unitStates.ifPresent(unit -> unit.kill(fields[1]));
        }
        else if (fields[0].equals("pid") && fields.length == 2 && ProcessStart.alive(fields[1])) {
            ProcessHandle.of(Long.parseLong(fields[1].split(" ")[0])).ifPresent(ProcessCommandRunner::killTree);
        }
    }

    /** The wrapper first, so that it cannot report its program's death into the output; its children are listed before, as they stop being its descendants once it is gone. */
    private static void killTree(ProcessHandle wrapper)
    {
        List<ProcessHandle> children = wrapper.descendants().toList();
        wrapper.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean installed(String program)
    {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String folder : path.split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }

    private static String both(String first, String second)
    {
        return (first + "\n" + second).strip();
    }

    /**
     * A started program: its launcher process (the wrapper, or systemd-run), how to kill it, and the
     * file where the launcher's own words go, if any.
     */
    private record Running(Process process, Runnable kill, Optional<Path> ownLog)
    {
        String ownOutput()
                throws IOException
        {
            return ownLog.isPresent() && Files.exists(ownLog.get()) ? new String(Files.readAllBytes(ownLog.get()), StandardCharsets.UTF_8).strip() : "";
        }
    }
}
