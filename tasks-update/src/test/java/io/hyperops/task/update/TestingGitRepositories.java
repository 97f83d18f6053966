package io.hyperops.task.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Real git repositories in a test's folder: a bare {@code origin}, a working clone {@code upstream}
 * where "someone else" commits and pushes, and the host's config repository {@code config}, cloned
 * from origin as {@code /etc/hypervisor} would be.
 */
final class TestingGitRepositories
{
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "GIT_AUTHOR_NAME", "Test Author", "GIT_AUTHOR_EMAIL", "author@example.org",
            "GIT_COMMITTER_NAME", "Test Author", "GIT_COMMITTER_EMAIL", "author@example.org",
            "GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1");

    private final Path origin;
    private final Path upstream;
    private final Path config;

    private TestingGitRepositories(Path folder)
    {
        this.origin = folder.resolve("origin.git");
        this.upstream = folder.resolve("upstream");
        this.config = folder.resolve("config");
    }

    /** Origin with one commit on {@code branch}, and both clones of it. */
    static TestingGitRepositories create(Path folder, String branch)
            throws IOException, InterruptedException
    {
        TestingGitRepositories repositories = new TestingGitRepositories(requireNonNull(folder, "folder is null"));
        Files.createDirectories(folder);
        git(folder, "init", "--quiet", "--bare", "--initial-branch=" + branch, repositories.origin.toString());
        git(folder, "clone", "--quiet", repositories.origin.toString(), repositories.upstream.toString());
        git(repositories.upstream, "checkout", "--quiet", "-b", branch);
        repositories.commitUpstream("hyperops.json", "{}\n", "initial config");
        git(repositories.upstream, "push", "--quiet", "origin", branch);
        git(folder, "clone", "--quiet", "--branch", branch, repositories.origin.toString(), repositories.config.toString());
        return repositories;
    }

    Path config()
    {
        return config;
    }

    /** Commits a file in upstream without pushing; returns the commit. */
    String commitUpstream(String file, String content, String subject)
            throws IOException, InterruptedException
    {
        return commit(upstream, file, content, subject);
    }

    /** Commits a file in upstream and pushes it to origin; returns the commit. */
    String push(String file, String content, String subject)
            throws IOException, InterruptedException
    {
        String commit = commitUpstream(file, content, subject);
        git(upstream, "push", "--quiet", "origin", "HEAD");
        return commit;
    }

    /** A commit made on the host, in the config repository, that origin does not have. */
    String commitLocally(String file, String content, String subject)
            throws IOException, InterruptedException
    {
        return commit(config, file, content, subject);
    }

    String configHead()
            throws IOException, InterruptedException
    {
        return git(config, "rev-parse", "HEAD");
    }

    String originHead(String branch)
            throws IOException, InterruptedException
    {
        return git(origin, "rev-parse", branch);
    }

    private static String commit(Path repository, String file, String content, String subject)
            throws IOException, InterruptedException
    {
        Files.writeString(repository.resolve(file), content);
        git(repository, "add", file);
        git(repository, "commit", "--quiet", "-m", subject);
        return git(repository, "rev-parse", "HEAD");
    }

    static String git(Path directory, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        CommandRunner.Result result = new ProcessCommandRunner().run(command, directory, ENVIRONMENT, Duration.ofSeconds(30));
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        return result.output();
    }
}
