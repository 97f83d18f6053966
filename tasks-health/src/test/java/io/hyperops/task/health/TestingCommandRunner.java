package io.hyperops.task.health;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers commands from a table; a command not in it is "not installed", as on a bare host. */
public final class TestingCommandRunner
        implements CommandRunner
{
    private final Map<List<String>, Result> answers = new HashMap<>();

    public TestingCommandRunner answer(List<String> command, int exitCode, String output)
    {
        answers.put(command, new Result(exitCode, output, false));
        return this;
    }

    @Override
    public Result run(List<String> command, Duration timeout)
            throws IOException
    {
        Result result = answers.get(command);
        if (result == null) {
            throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
        }
        return result;
    }
}
