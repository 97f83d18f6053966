package io.hyperops.task.update.git;

import io.hyperops.task.update.CommandRunner;
import io.hyperops.task.update.UpdateException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** {@code git -C <repository> ...} with a time-out; never asks for a password or an editor. */
final class Git
{
    // A daemon has no terminal: a remote wanting credentials must fail, not wait for the time-out.
    private static final Map<String, String> ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_EDITOR", "true", "LC_ALL", "C");

    private final CommandRunner runner;
    private final Path repository;
    private final Duration timeout;

    Git(CommandRunner runner, Path repository, Duration timeout)
    {
        this.runner = requireNonNull(runner, "runner is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Runs git and returns its output; a failure becomes an {@link UpdateException} with git's own words. */
    String run(String... arguments)
            throws UpdateException, IOException, InterruptedException
    {
        CommandRunner.Result result = execute(arguments);
        if (!result.succeeded()) {
            throw new UpdateException("git in " + repository + ": " + result.describe());
        }
        return result.output();
    }

    boolean succeeds(String... arguments)
            throws IOException, InterruptedException
    {
        return execute(arguments).succeeded();
    }

    private CommandRunner.Result execute(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(arguments));
        return runner.run(command, repository, ENVIRONMENT, timeout);
    }
}
