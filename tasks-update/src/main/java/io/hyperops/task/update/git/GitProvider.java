package io.hyperops.task.update.git;

import io.hyperops.task.update.AppliedStep;
import io.hyperops.task.update.CommandRunner;
import io.hyperops.task.update.ProviderCheck;
import io.hyperops.task.update.ProviderSettings;
import io.hyperops.task.update.UpdateException;
import io.hyperops.task.update.UpdateProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The git config repository ({@code /etc/hypervisor}), through the real {@code git}. Check fetches and
 * compares {@code HEAD} with {@code <remote>/<branch>}; apply fast-forwards only, and refuses local
 * changes to tracked files, a checkout of another branch, and local commits the remote lacks
 * (divergence): those need a person, never a merge made by a daemon. Rollback resets to the commit
 * before the update with {@code git reset --keep}, which refuses rather than drops local changes.
 */
public final class GitProvider
        implements UpdateProvider
{
    static final String PREVIOUS_COMMIT = "previous_commit";
    static final String APPLIED_COMMIT = "applied_commit";

    private final ProviderSettings.Git settings;
    private final Git git;

    public GitProvider(ProviderSettings.Git settings, CommandRunner runner)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.git = new Git(requireNonNull(runner, "runner is null"), settings.repository(), settings.timeout());
    }

    @Override
    public String name()
    {
        return settings.name();
    }

    @Override
    public Map<String, Object> describe()
    {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", settings.type());
        description.put("repository", settings.repository().toString());
        description.put("remote", settings.remote());
        description.put("branch", settings.branch() == null ? "main, else master" : settings.branch());
        return description;
    }

    @Override
    public ProviderCheck check()
            throws UpdateException, IOException, InterruptedException
    {
        if (!Files.isDirectory(settings.repository().resolve(".git")) && !Files.isRegularFile(settings.repository().resolve(".git"))) {
            throw new UpdateException(settings.repository() + " is not a git repository; clone the config repository there or set its 'repository'");
        }
        git.run("fetch", "--quiet", settings.remote());
        String branch = branch();
        String upstream = settings.remote() + "/" + branch;
        String local = git.run("rev-parse", "HEAD");
        String remote = git.run("rev-parse", "refs/remotes/" + upstream);
        List<Map<String, String>> incoming = commits("HEAD.." + upstream);
        List<Map<String, String>> localOnly = commits(upstream + "..HEAD");

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("repository", settings.repository().toString());
        details.put("branch", branch);
        details.put("local_commit", local);
        details.put("remote_commit", remote);
        details.put("incoming_commits", incoming);
        details.put("local_only_commits", localOnly);
        String blocked = blocker(branch, upstream, localOnly, incoming.isEmpty());
        String summary = incoming.isEmpty() ? "up to date with " + upstream + " at " + shortId(local)
                : incoming.size() + " incoming commit(s) on " + upstream + ", " + shortId(local) + ".." + shortId(remote);
        return new ProviderCheck(name(), settings.type(), !incoming.isEmpty(), false, blocked, summary, details);
    }

    @Override
    public Optional<AppliedStep> planned(ProviderCheck check)
    {
        // the rollback resets only from the checked commit, so a merge cut off before it moved HEAD undoes nothing
        String previous = (String) check.details().get("local_commit");
        String target = (String) check.details().get("remote_commit");
        return previous == null || target == null || check.blocked() != null ? Optional.empty()
                : Optional.of(new AppliedStep(name(), settings.type(), "fast-forwarding " + settings.repository(), Map.of(PREVIOUS_COMMIT, previous, APPLIED_COMMIT, target)));
    }

    @Override
    public AppliedStep apply(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        if (check.blocked() != null) {
            throw new UpdateException(check.blocked());
        }
        String previous = (String) check.details().get("local_commit");
        String target = (String) check.details().get("remote_commit");
        // The checked commit, not whatever the remote has moved on to since: the operator saw these commits.
        git.run("merge", "--ff-only", "--quiet", target);
        String now = git.run("rev-parse", "HEAD");
        return new AppliedStep(name(), settings.type(), "fast-forwarded " + settings.repository() + " " + shortId(previous) + ".." + shortId(now),
                Map.of(PREVIOUS_COMMIT, previous, APPLIED_COMMIT, now));
    }

    @Override
    public void rollback(AppliedStep step)
            throws UpdateException, IOException, InterruptedException
    {
        String previous = step.rollback().get(PREVIOUS_COMMIT);
        String applied = step.rollback().get(APPLIED_COMMIT);
        if (previous == null || applied == null) {
            throw new UpdateException("the recorded update lacks its commits; roll back by hand with git -C " + settings.repository() + " reset --keep <commit>");
        }
        String head = git.run("rev-parse", "HEAD");
        if (head.equals(previous)) {
            return;
        }
        if (!head.equals(applied)) {
            throw new UpdateException(settings.repository() + " is at " + shortId(head) + ", not at the updated commit "
                    + shortId(applied) + "; it changed since the update, so it is not reset; check it and run git -C " + settings.repository() + " reset --keep " + previous);
        }
        git.run("reset", "--keep", "--quiet", previous);
    }

    private String branch()
            throws UpdateException, IOException, InterruptedException
    {
        if (settings.branch() != null) {
            if (!git.succeeds("rev-parse", "--verify", "--quiet", "refs/remotes/" + settings.remote() + "/" + settings.branch())) {
                throw new UpdateException("the remote '" + settings.remote() + "' has no branch '" + settings.branch() + "'; set 'branch' to one it has");
            }
            return settings.branch();
        }
        for (String candidate : List.of("main", "master")) {
            if (git.succeeds("rev-parse", "--verify", "--quiet", "refs/remotes/" + settings.remote() + "/" + candidate)) {
                return candidate;
            }
        }
        throw new UpdateException("the remote '" + settings.remote() + "' has neither main nor master; set 'branch'");
    }

    private String blocker(String branch, String upstream, List<Map<String, String>> localOnly, boolean upToDate)
            throws UpdateException, IOException, InterruptedException
    {
        String where = "the config repository " + settings.repository();
        String current = git.succeeds("symbolic-ref", "--quiet", "HEAD") ? git.run("symbolic-ref", "--quiet", "--short", "HEAD") : "(detached HEAD)";
        if (!current.equals(branch)) {
            return where + " has " + current + " checked out, not " + branch + "; check out " + branch + " (git -C " + settings.repository() + " checkout " + branch + ")";
        }
        String changes = git.run("status", "--porcelain", "--untracked-files=no");
        if (!changes.isEmpty()) {
            // "XY path" lines; the output is stripped, so the first line may have lost the leading space of " M"
            List<String> files = changes.lines().map(line -> line.strip().replaceFirst("^\\S+\\s+", "")).toList();
            return where + " has local changes to " + String.join(", ", files) + "; commit and push them, or discard them (git -C "
                    + settings.repository() + " stash), then update again";
        }
        if (!localOnly.isEmpty()) {
            return where + (upToDate ? " is ahead of " : " has diverged from ") + upstream + ": " + localOnly.size()
                    + " local commit(s) not on the remote; a fast-forward is impossible; push or rebase them by hand (git -C " + settings.repository() + " log " + upstream + "..HEAD)";
        }
        return null;
    }

    private List<Map<String, String>> commits(String range)
            throws UpdateException, IOException, InterruptedException
    {
        List<Map<String, String>> result = new ArrayList<>();
        for (String line : git.run("log", "--format=%H%x09%an%x09%s", range).lines().toList()) {
            String[] fields = line.split("\t", 3);
            result.add(Map.of("commit", fields[0], "author", fields.length > 1 ? fields[1] : "", "subject", fields.length > 2 ? fields[2] : ""));
        }
        return result;
    }

    static String shortId(String commit)
    {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
