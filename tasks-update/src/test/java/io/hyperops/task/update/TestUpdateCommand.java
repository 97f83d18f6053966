package io.hyperops.task.update;

import com.google.inject.Injector;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.NoSettings;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.TaskJob;
import io.hyperops.spi.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hyperops update ...} from the injector the engine builds. Its check, apply and rollback go
 * through the job runner to the task's own jobs, which the test's runner runs as the engine would.
 */
final class TestUpdateCommand
{
    @TempDir
    Path folder;

    private TestingGitRepositories repositories;
    private UpdateCommand command;
    private TestingUpdateHost host;
    private String before;
    private String pushed;

    @BeforeEach
    void setUp()
            throws Exception
    {
        repositories = TestingGitRepositories.create(folder.resolve("git"), "main");
        before = repositories.configHead();
        pushed = repositories.push("bridge.json", "{}\n", "bridge: jumbo frames");
        host = new TestingUpdateHost(folder.resolve("host"), TestingLibvirtConnection.testDriver());
        host.settings(TestingUpdateHost.settings(List.of(new ProviderSettings.Git(null, repositories.config(), null, null, Duration.ofSeconds(30))), false));
        Injector injector = TestUpdatePlugin.strictInjector(new UpdatePlugin(), host);
        UpdateSettings settings = host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class);
        host.jobs.job("health", RunOutcome.SUCCESS)
                .job(UpdatePlugin.CHECK_JOB, runId -> run(injector.getInstance(UpdateCheckJob.class), host, UpdatePlugin.CHECK_JOB, UpdateCheckSettings.defaults(), runId))
                .job(UpdatePlugin.UPDATE_JOB, runId -> run(injector.getInstance(UpdateJob.class), host, UpdatePlugin.UPDATE_JOB, settings, runId))
                .job(UpdatePlugin.ROLLBACK_JOB, runId -> run(injector.getInstance(UpdateRollbackJob.class), host, UpdatePlugin.ROLLBACK_JOB, new NoSettings(), runId));
        command = injector.getInstance(UpdateCommand.class);
    }

    @Test
    void checkShowsTheIncomingCommits()
    {
        Output output = run("check");

        assertThat(output.code).isZero();
        assertThat(output.out).contains("SUCCESS updates available: git 1 incoming commit(s)")
                .contains("Updates available: yes")
                .contains(pushed.substring(0, 12) + " bridge: jumbo frames");
    }

    @Test
    void checkAsJsonIsOneObjectWithTheRunAndTheStatus()
            throws Exception
    {
        Output output = run("check", "--json");

        assertThat(output.code).isZero();
        com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output.out);
        assertThat(result.path("outcome").asText()).isEqualTo("success");
        assertThat(result.path("run_id").asText()).startsWith(UpdatePlugin.CHECK_JOB);
        assertThat(result.path("status").path("updates_available").asBoolean()).isTrue();
        assertThat(result.path("status").path("providers").get(0).path("details").path("incoming_commits")).hasSize(1);
    }

    @Test
    void applyStatusRollbackAndHistory()
            throws Exception
    {
        Output apply = run("apply");

        assertThat(apply.code).as(apply.out).isZero();
        assertThat(apply.out).startsWith("SUCCESS applied fast-forwarded");
        assertThat(repositories.configHead()).isEqualTo(pushed);
        assertThat(run("status").out).contains("Updates available: no").contains("apply  applied");

        Output rollback = run("rollback");

        assertThat(rollback.code).as(rollback.out).isZero();
        assertThat(rollback.out).startsWith("SUCCESS rolled back (manual) git");
        assertThat(repositories.configHead()).isEqualTo(before);
        List<String> history = run("history").out.lines().toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).contains("rollback  rolled-back");
        assertThat(history.get(1)).contains("apply  applied");
        assertThat(run("rollback").code).isEqualTo(RunOutcome.FAILED.exitCode());
    }

    @Test
    void aCheckThatFailsClaimsNeitherUpToDateNorNoUpdates()
            throws Exception
    {
        Path notARepository = Files.createDirectories(folder.resolve("not-a-repository"));
        host.settings(TestingUpdateHost.settings(List.of(new ProviderSettings.Git(null, notARepository, null, null, Duration.ofSeconds(30))), false));

        Output output = run("check");

        assertThat(output.code).isEqualTo(RunOutcome.FAILED.exitCode());
        assertThat(output.out).contains("FAILED check failed: ").contains("is not a git repository").doesNotContain("up to date")
                .contains("hyperops logs --job update-check");
        assertThat(run("status").out).contains("Updates available: unknown (the check failed)");
    }

    @Test
    void statusBeforeAnyCheckSaysSo()
    {
        assertThat(run("status").out).startsWith("No check yet");
        assertThat(run("status", "--json").out.strip()).isEqualTo("{}");
        assertThat(run("history").out.strip()).isEqualTo("No update yet.");
    }

    @Test
    void anUnknownSubcommandIsAUsageError()
    {
        Output output = run("upgrade");

        assertThat(output.code).isEqualTo(UpdateCommand.USAGE);
        assertThat(output.err).contains("Unmatched argument").contains("upgrade");
    }

    private static io.hyperops.spi.RunReport run(TaskJob job, TestingUpdateHost host, String name, Record settings, String runId)
            throws InterruptedException
    {
        try {
            JobResult result = job.run(host.run(name, settings, Trigger.REQUESTED));
            return TestingJobRunner.report(runId, name, result.outcome(), result.summary());
        }
        catch (InterruptedException e) {
            throw e;
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Output run(String... arguments)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = command.run(List.of(arguments), new PrintWriter(out), new PrintWriter(err));
        return new Output(code, out.toString(), err.toString());
    }

    private record Output(int code, String out, String err) {}
}
