package io.hyperops.task.update;

import io.hyperops.task.update.git.GitProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The git provider against real repositories: a bare origin, a clone that pushes, the config clone. */
final class TestGitProvider
{
    @TempDir
    Path folder;

    @Test
    void checkListsIncomingCommitsAndChangesNothing()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        String before = repositories.configHead();
        String first = repositories.push("bridge.json", "{\"mtu\": 1500}\n", "bridge: standard MTU");
        String second = repositories.push("bridge.json", "{\"mtu\": 9000}\n", "bridge: jumbo frames");

        ProviderCheck check = provider(repositories).check();

        assertThat(check.updatesAvailable()).isTrue();
        assertThat(check.blocked()).isNull();
        assertThat(check.details()).containsEntry("branch", "main").containsEntry("local_commit", before).containsEntry("remote_commit", second);
        assertThat(commits(check, "incoming_commits")).extracting(commit -> commit.get("commit") + " " + commit.get("subject"))
                .containsExactly(second + " bridge: jumbo frames", first + " bridge: standard MTU");
        assertThat(check.summary()).contains("2 incoming commit(s) on origin/main");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void applyFastForwardsAndRollbackReturnsToThePreviousCommit()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        String before = repositories.configHead();
        String pushed = repositories.push("bridge.json", "{}\n", "bridge");
        GitProvider provider = provider(repositories);

        AppliedStep step = provider.apply(provider.check());

        assertThat(repositories.configHead()).isEqualTo(pushed);
        assertThat(repositories.config().resolve("bridge.json")).exists();
        assertThat(step.rollback()).containsEntry("previous_commit", before).containsEntry("applied_commit", pushed);
        assertThat(provider.check().updatesAvailable()).isFalse();

        provider.rollback(step);

        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(repositories.config().resolve("bridge.json")).doesNotExist();
    }

    @Test
    void theCheckedCommitIsAppliedNotOneThatArrivedLater()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        String checked = repositories.push("a.json", "{}\n", "seen by the check");
        GitProvider provider = provider(repositories);
        ProviderCheck check = provider.check();
        repositories.push("b.json", "{}\n", "arrived after the check");
        TestingGitRepositories.git(repositories.config(), "fetch", "--quiet", "origin");

        provider.apply(check);

        assertThat(repositories.configHead()).isEqualTo(checked);
    }

    @Test
    void localChangesAreRefusedWithTheirFilesNamed()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        String before = repositories.configHead();
        repositories.push("bridge.json", "{}\n", "bridge");
        Files.writeString(repositories.config().resolve("hyperops.json"), "{\"edited\": \"on the host\"}\n");
        GitProvider provider = provider(repositories);

        ProviderCheck check = provider.check();

        assertThat(check.updatesAvailable()).isTrue();
        assertThat(check.blocked()).contains("has local changes to hyperops.json").contains("stash");
        assertThatThrownBy(() -> provider.apply(check)).isInstanceOf(UpdateException.class).hasMessageContaining("local changes to hyperops.json");
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(repositories.config().resolve("hyperops.json")).hasContent("{\"edited\": \"on the host\"}");
    }

    @Test
    void divergenceIsRefused()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        repositories.push("bridge.json", "{}\n", "bridge");
        String local = repositories.commitLocally("local.json", "{}\n", "made on the host");
        GitProvider provider = provider(repositories);

        ProviderCheck check = provider.check();

        assertThat(check.blocked()).contains("has diverged from origin/main").contains("1 local commit(s) not on the remote").contains("fast-forward is impossible");
        assertThat(commits(check, "local_only_commits")).extracting(commit -> commit.get("commit")).containsExactly(local);
        assertThatThrownBy(() -> provider.apply(check)).isInstanceOf(UpdateException.class).hasMessageContaining("diverged");
        assertThat(repositories.configHead()).isEqualTo(local);
    }

    @Test
    void fallsBackFromMainToMaster()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "master");
        String pushed = repositories.push("bridge.json", "{}\n", "bridge");

        ProviderCheck check = provider(repositories).check();

        assertThat(check.details()).containsEntry("branch", "master").containsEntry("remote_commit", pushed);
    }

    @Test
    void aRepositoryThatMovedSinceTheUpdateIsNotReset()
            throws Exception
    {
        TestingGitRepositories repositories = TestingGitRepositories.create(folder, "main");
        repositories.push("bridge.json", "{}\n", "bridge");
        GitProvider provider = provider(repositories);
        AppliedStep step = provider.apply(provider.check());
        String later = repositories.commitLocally("later.json", "{}\n", "a later change by hand");

        assertThatThrownBy(() -> provider.rollback(step)).isInstanceOf(UpdateException.class).hasMessageContaining("changed since the update");
        assertThat(repositories.configHead()).isEqualTo(later);
    }

    @Test
    void aFolderThatIsNoRepositoryIsNamed()
    {
        GitProvider provider = new GitProvider(new ProviderSettings.Git(null, folder, null, null, null), new ProcessCommandRunner());

        assertThatThrownBy(provider::check).isInstanceOf(UpdateException.class).hasMessageContaining(folder + " is not a git repository");
    }

    private static GitProvider provider(TestingGitRepositories repositories)
    {
        return new GitProvider(new ProviderSettings.Git(null, repositories.config(), null, null, Duration.ofSeconds(30)), new ProcessCommandRunner());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> commits(ProviderCheck check, String key)
    {
        return (List<Map<String, String>>) check.details().get(key);
    }
}
