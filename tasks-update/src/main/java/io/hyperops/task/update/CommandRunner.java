package io.hyperops.task.update;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Runs a host program (git, nixos-rebuild, apt-get, an operator's script), never longer than its
 * time-out. The one seam between the providers and the host: tests give real programs, or scripts they
 * write, rather than a fake of this interface.
 */
public interface CommandRunner
{
    /**
     * @param environment variables added to the daemon's environment (e.g. {@code DEBIAN_FRONTEND})
     * @throws IOException when the program cannot be started (not installed)
     */
    Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException;

    /**
     * {@link #run} for a step that changes the host (an apply, a rollback). When the caller is
     * interrupted (a shutdown, the job's time-out) the program is not killed: dpkg or a NixOS switch
     * stopped half-way leaves a broken host, so it is left to finish and {@link LeftRunningException}
     * says where. Its own time-out still stops it.
     */
    default Result runStep(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        return run(command, directory, environment, timeout);
    }

    /**
     * Waits for the steps an earlier process left running (a shutdown during an apply, a daemon that was
     * killed) and hands back how each ended: its exit code, or -1 when it ended without one. They stay
     * on file until {@link #forgetLeftRunning}.
     *
     * @param waiting told of each step still running, once, before the wait for it starts
     */
    default List<Result> awaitLeftRunning(Consumer<String> waiting)
            throws IOException, InterruptedException
    {
        return List.of();
    }

    /**
     * Removes what {@link #awaitLeftRunning} handed back, once the caller has recorded how they ended;
     * until then a process killed in between finds them again.
     */
    default void forgetLeftRunning()
            throws IOException
    {
    }

    /**
     * @param exitCode the program's exit code; -1 when it was killed at the time-out
     * @param output standard output and error, interleaved, stripped
     */
    record Result(List<String> command, int exitCode, String output, boolean timedOut)
    {
        public Result
        {
            command = List.copyOf(requireNonNull(command, "command is null"));
            requireNonNull(output, "output is null");
        }

        public boolean succeeded()
        {
            return exitCode == 0 && !timedOut;
        }

        /** One line for an operator: the command, how it ended and the last lines of its output. */
        public String describe()
        {
            String how = timedOut ? "timed out" : "exited with " + exitCode;
            List<String> lines = output.lines().toList();
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            return "'" + String.join(" ", command) + "' " + how + (tail.isEmpty() ? "" : ": " + tail);
        }
    }
}
