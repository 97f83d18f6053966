package io.hyperops.task.health;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Runs a host command such as {@code systemctl is-active sshd}, never longer than its time-out. */
public interface CommandRunner
{
    /**
     * @throws IOException when the program cannot be started (not installed)
     */
    Result run(List<String> command, Duration timeout)
            throws IOException, InterruptedException;

    /**
     * @param exitCode the program's exit code; -1 when it was killed at the time-out
     * @param output standard output and error, interleaved, stripped
     */
    record Result(int exitCode, String output, boolean timedOut)
    {
        public Result
        {
            requireNonNull(output, "output is null");
        }

        public boolean succeeded()
        {
            return exitCode == 0 && !timedOut;
        }
    }
}
