package io.hyperops.task.update;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.NoSettings;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import io.hyperops.task.update.git.GitProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.hyperops.task.update.TestingUpdateHost.lines;
import static io.hyperops.task.update.TestingUpdateHost.loggingCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The update from check to gate, with real git repositories and real commands: the providers are
 * applied in order, the gate decides, and a failed gate rolls every applied provider back in reverse.
 * Backup and health are jobs the test defines, as another task's jobs are to this one.
 */
final class TestUpdateService
{
    @TempDir
    Path folder;

    private TestingGitRepositories repositories;
    private TestingUpdateHost host;
    private Path log;
    private String before;
    private String pushed;

    @BeforeEach
    void setUp()
            throws Exception
    {
        repositories = TestingGitRepositories.create(folder.resolve("git"), "main");
        before = repositories.configHead();
        pushed = repositories.push("bridge.json", "{\"mtu\": 9000}\n", "bridge: jumbo frames");
        host = new TestingUpdateHost(folder.resolve("host"), TestingLibvirtConnection.testDriver());
        log = folder.resolve("commands.log");
    }

    @Test
    void aFailingHealthGateRollsEveryProviderBackInReverseOrder()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.FAILED);

        JobResult result = apply();

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).contains("rolled back (automatic) second, first, git in reverse order").contains("health job 'health' ended failed");
        // The commands ran in order, and rolled back in reverse while the config repository still had the update.
        assertThat(lines(log)).containsExactly("apply first", "apply second", "rollback second " + pushed, "rollback first " + pushed);
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(host.jobs.runs()).startsWith("backup").contains("health");

        UpdateRecord record = host.state().last().orElseThrow();
        assertThat(record.outcome()).isEqualTo(UpdateRecord.ROLLED_BACK);
        assertThat(record.applied()).extracting(AppliedStep::provider).containsExactly("git", "first", "second");
        assertThat(record.rolledBack()).containsExactly("second", "first", "git");
        assertThat(host.audit.events()).extracting(AuditEvent::action, AuditEvent::outcome).containsExactly(tuple("update.rollback", "success"));
        assertThat(host.audit.events().get(0).details()).containsEntry("kind", "automatic").containsEntry("rolled_back", List.of("second", "first", "git"));

        UpdateStatus status = host.status();
        assertThat(status.lastUpdate().outcome()).isEqualTo(UpdateRecord.ROLLED_BACK);
        assertThat(status.localCommit()).isEqualTo(before);
        assertThat(status.remoteCommit()).isEqualTo(pushed);
        assertThat(status.updatesAvailable()).isTrue();
    }

    @Test
    void aPassingGateKeepsTheUpdateAndTheStatusFileShowsIt()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.WARNING);

        JobResult result = apply();

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(result.summary()).contains("the health gate passed");
        assertThat(repositories.configHead()).isEqualTo(pushed);
        assertThat(lines(log)).containsExactly("apply first", "apply second");
        UpdateStatus status = host.status();
        assertThat(status.updatesAvailable()).isFalse();
        assertThat(status.localCommit()).isEqualTo(pushed).isEqualTo(status.remoteCommit());
        assertThat(status.lastUpdate().outcome()).isEqualTo(UpdateRecord.APPLIED);
        assertThat(status.lastUpdate().applied()).extracting(AppliedStep::provider).containsExactly("git", "first", "second");
        assertThat(host.audit.events()).extracting(AuditEvent::action).containsExactly("update.apply");
    }

    @Test
    void theGateWaitsWithinTheGracePeriod()
            throws Exception
    {
        // a grace period that leaves room for the second attempt however long the first takes (a cold
        // libvirt connection on a busy machine); the gate passes then, so it costs no time
        host.settings(TestingUpdateHost.settings(providers(), true, Duration.ofMinutes(1)));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.FAILED, RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(host.jobs.runs()).containsExactly("backup", "health", "health");
    }

    @Test
    void anInterruptedGateRollsBackBeforeTheRunStops()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", runId -> {
            throw new InterruptedException("engine shutdown");
        });

        JobResult result = apply();

        assertThat(Thread.interrupted()).as("the interrupt is kept for the engine").isTrue();
        assertThat(result.summary()).contains("rolled back (automatic) second, first, git").contains("interrupted during the health gate");
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(lines(log)).containsExactly("apply first", "apply second", "rollback second " + pushed, "rollback first " + pushed);
    }

    @Test
    void withoutABackupJobTheUpdateIsRefused()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("health", RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).contains("update refused: no backup before the update: job 'backup' cannot run").contains("require_backup to false");
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(lines(log)).isEmpty();
        assertThat(host.state().last().orElseThrow().outcome()).isEqualTo(UpdateRecord.REFUSED);
    }

    @Test
    void aDisabledBackupJobRefusesTheUpdateRatherThanRunAnyway()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        host.disabled.add("backup");

        JobResult result = apply();

        assertThat(result.summary()).contains("update refused: no backup before the update: job 'backup' is disabled").contains("require_backup to false");
        assertThat(host.jobs.runs()).doesNotContain("backup");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void withoutABackupJobTheUpdateGoesOnWhenNotRequired()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), false));
        host.jobs.job("health", RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(repositories.configHead()).isEqualTo(pushed);
    }

    @Test
    void aBackupRunningElsewhereRefusesTheUpdate()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", runId -> TestingJobRunner.report(runId, "backup", RunOutcome.SKIPPED, "skipped: job 'backup' is already running (pid 42)"))
                .job("health", RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.summary()).contains("the backup before the update").contains("ended skipped: skipped: job 'backup' is already running");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void aHostInErrorIsNotUpdated()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        host.writeHealth("ERROR");

        JobResult result = apply();

        assertThat(result.summary()).contains("the host's health is ERROR");
        assertThat(host.jobs.runs()).isEmpty();
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void aFailedApplyRollsBackWhatWasAppliedBeforeIt()
            throws Exception
    {
        ProviderSettings.Command failing = new ProviderSettings.Command("failing", List.of(), List.of("sh", "-c", "echo broken mirror; exit 3"),
                List.of("sh", "-c", "echo 'rollback failing' >> '" + log + "'"), null, Duration.ofSeconds(30), null);
        host.settings(TestingUpdateHost.settings(List.of(git(), loggingCommand("first", log, repositories.config()), failing), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.summary()).contains("failing: apply failed: 'sh -c echo broken mirror; exit 3' exited with 3: broken mirror");
        assertThat(lines(log)).containsExactly("apply first", "rollback first " + pushed);
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(host.jobs.runs()).doesNotContain("health");
    }

    @Test
    void aFailedApplyThatCopesWithPartialAppliesIsRolledBackFirstThenWhatCameBeforeIt()
            throws Exception
    {
        ProviderSettings.Command failing = new ProviderSettings.Command("failing", List.of(), List.of("sh", "-c", "echo 'apply failing' >> '" + log + "'; exit 3"),
                List.of("sh", "-c", "echo 'rollback failing' >> '" + log + "'"), null, Duration.ofSeconds(30), true);
        host.settings(TestingUpdateHost.settings(List.of(git(), loggingCommand("first", log, repositories.config()), failing), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);

        JobResult result = apply();

        assertThat(result.summary()).contains("failing: apply failed: ").contains("rolled back with the rest (rollback_failed_apply)");
        assertThat(lines(log)).containsExactly("apply first", "apply failing", "rollback failing", "rollback first " + pushed);
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(host.state().last().orElseThrow().rolledBack()).containsExactly("failing", "first", "git");
    }

    @Test
    void aLocalChangeRefusesTheWholeUpdate()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        repositories.commitLocally("local.json", "{}\n", "made on the host");

        JobResult result = apply();

        assertThat(result.summary()).contains("update refused: git: the config repository").contains("has diverged from origin/main");
        assertThat(lines(log)).isEmpty();
        assertThat(host.jobs.runs()).isEmpty();
    }

    @Test
    void nothingToUpdateRunsNoBackup()
            throws Exception
    {
        ProviderSettings.Command upToDate = new ProviderSettings.Command("site", List.of("sh", "-c", "exit 1"), List.of("sh", "-c", "echo 'apply site' >> '" + log + "'"), List.of(), null, null, null);
        host.settings(TestingUpdateHost.settings(List.of(upToDate), true));

        JobResult result = apply();

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(result.summary()).isEqualTo("nothing to update");
        assertThat(host.jobs.runs()).isEmpty();
        assertThat(lines(log)).isEmpty();
    }

    @Test
    void aCommandWithoutCheckIsAppliedWithTheOthersOnly()
            throws Exception
    {
        ProviderSettings.Command restart = new ProviderSettings.Command("restart", List.of(), List.of("sh", "-c", "echo 'apply restart' >> '" + log + "'"), List.of(), null, null, null);
        host.settings(TestingUpdateHost.settings(List.of(git(), restart), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);

        JobResult first = apply();
        JobResult second = apply();

        assertThat(first.outcome()).as(first.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(second.summary()).isEqualTo("nothing to update");
        assertThat(lines(log)).containsExactly("apply restart");
        assertThat(host.status().updatesAvailable()).isFalse();
    }

    @Test
    void aManualRollbackUndoesTheLastUpdateOnce()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        apply();

        JobResult rollback = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));

        assertThat(rollback.outcome()).as(rollback.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(repositories.configHead()).isEqualTo(before);
        assertThat(lines(log)).containsExactly("apply first", "apply second", "rollback second " + pushed, "rollback first " + pushed);
        assertThat(host.state().history()).extracting(UpdateRecord::action, UpdateRecord::outcome)
                .containsExactly(tuple("rollback", "rolled-back"), tuple("apply", "applied"));

        JobResult again = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));

        assertThat(again.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(again.summary()).startsWith("nothing to roll back: the last update").contains("ended rolled-back");
    }

    @Test
    void anUpdateCutOffWhileApplyingCanBeRolledBackByHand()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        // What a daemon that died after the first step leaves: the step applied, the record still "applying".
        GitProvider provider = new GitProvider(git(), new ProcessCommandRunner());
        AppliedStep step = provider.apply(provider.check());
        host.state(UpdatePlugin.UPDATE_JOB).write(UpdateState.NAME, UpdateState.empty().with(
                new UpdateRecord("update-cut-off", "apply", Instant.now(), null, UpdateRecord.APPLYING, "applying", List.of(step), List.of(), List.of(), List.of()), 50));

        JobResult rollback = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));

        assertThat(rollback.outcome()).as(rollback.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(rollback.summary()).startsWith("rolled back (manual) git");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void aCutOffUpdateIsNotHiddenByLaterRunsThatChangedNothingAndTheNextRunFinishesItBeforeAnythingElse()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        GitProvider provider = new GitProvider(git(), new ProcessCommandRunner());
        AppliedStep step = provider.apply(provider.check());
        // cut off while applying (a daemon killed with no step running), then a run that found nothing to
        // do: the newest record says "up-to-date"
        host.state(UpdatePlugin.UPDATE_JOB).write(UpdateState.NAME, UpdateState.empty()
                .with(new UpdateRecord("update-cut-off", "apply", Instant.now().minusSeconds(60), null, UpdateRecord.APPLYING, "applying", List.of(step), List.of(), List.of(), List.of()), 50)
                .with(new UpdateRecord("update-later", "apply", Instant.now(), Instant.now(), UpdateRecord.UP_TO_DATE, "nothing to update", List.of(), List.of(), List.of(), List.of()), 50));
        String more = repositories.push("more.json", "{}\n", "more");

        JobResult finished = apply();

        // whether its last step finished is not known, so it is undone, and nothing new starts in that run
        assertThat(finished.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(finished.summary()).startsWith("rolled back (automatic) git")
                .contains("the update of run update-cut-off was cut off while applying git").contains("it left no program running");
        assertThat(repositories.configHead()).isEqualTo(before);
        JobResult next = apply();
        assertThat(next.outcome()).as(next.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(repositories.configHead()).isEqualTo(more);
    }

    @Test
    void noUpdateStartsOnTopOfAFailedRollback()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        host.state(UpdatePlugin.UPDATE_JOB).write(UpdateState.NAME, UpdateState.empty()
                .with(new UpdateRecord("update-failed", "apply", Instant.now(), Instant.now(), UpdateRecord.ROLLBACK_FAILED, "rollback failed", List.of(), List.of(), List.of(), List.of()), 50));
        repositories.push("more.json", "{}\n", "more");

        JobResult refused = apply();

        assertThat(refused.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(refused.summary()).contains("the update of run update-failed ended rollback-failed and is not resolved");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void aRollbackStoppedMidwayIsRecordedWithWhatItDidNotUndoAndTheNextRunFinishesIt()
            throws Exception
    {
        Path started = folder.resolve("slow-rollback-started");
        ProviderSettings.Command slow = new ProviderSettings.Command("slow", null, List.of("true"),
                List.of("sh", "-c", "touch '" + started + "'; sleep 3; echo 'rollback slow' >> '" + log + "'"), null, Duration.ofMinutes(1), null);
        host.settings(TestingUpdateHost.settings(List.of(git(), slow), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        assertThat(apply().outcome()).isEqualTo(RunOutcome.SUCCESS);
        JobResult[] result = new JobResult[1];
        Thread rollback = new Thread(() -> {
            try {
                result[0] = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));
            }
            catch (InterruptedException e) {
                throw new AssertionError("the rollback must record itself before the interrupt goes on", e);
            }
        });
        rollback.start();
        // interrupted in the slow rollback step itself, once the runner has recorded its process (as in stopMidStep)
        awaitStepRunning(rollback, started);
        assertThat(started).as("the slow rollback step started").exists();
        // a time-out or a shutdown while the slow provider rolls back: its program is left to finish
        rollback.interrupt();
        rollback.join(20_000);

        assertThat(rollback.isAlive()).isFalse();
        assertThat(result[0].summary()).contains("stopped while rolling back (manual)").contains("not rolled back yet: slow, git");
        UpdateRecord cut = host.state().history().get(0);
        assertThat(cut.outcome()).isEqualTo(UpdateRecord.ROLLING_BACK);
        assertThat(cut.rolledBack()).isEmpty();
        // health reads update-status.json: it shows the rollback under way at once, not after the next check
        assertThat(host.status().lastUpdate().outcome()).isEqualTo(UpdateRecord.ROLLING_BACK);

        // the next run waits for the program left running, then rolls back what is left, the cut-off step again
        JobResult finished = apply();

        assertThat(finished.outcome()).as(finished.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(finished.summary()).startsWith("rolled back (manual) slow, git").contains("the rollback of run " + cut.runId() + " was cut off");
        assertThat(host.state().history().get(0).outcome()).isEqualTo(UpdateRecord.ROLLED_BACK);
        assertThat(Files.readAllLines(log)).containsExactly("rollback slow", "rollback slow");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void anApplyStoppedMidStepLeavesTheStepToFinishAndTheNextRunKeepsTheUpdateOnceTheStepEndedWellAndTheGatePasses()
            throws Exception
    {
        // A shutdown while dpkg or a switch runs (an upgrade of hyperops itself restarts the daemon half-way):
        // killing the step would leave a half-upgraded host, and neither the gate nor a rollback can run
        // on top of it. The step goes on; the update stays "applying", with what undoes the cut-off step.
        Path marker = folder.resolve("slow-applied");
        String more = repositories.push("more.json", "{}\n", "more");
        JobResult stopped = stopMidStep("sleep 2; echo done > '" + marker + "'");

        assertThat(stopped.summary()).contains("stopped while applying").contains("is left to finish as pid");
        UpdateRecord cut = host.state().history().get(0);
        assertThat(cut.outcome()).isEqualTo(UpdateRecord.APPLYING);
        assertThat(cut.applied()).extracting(AppliedStep::provider).containsExactly("git", "slow");
        assertThat(marker).doesNotExist();

        // the next run (the daemon's next start asks for it) waits for the step, then judges the update
        JobResult finished = apply();

        assertThat(marker).content().isEqualToIgnoringNewLines("done");
        assertThat(finished.outcome()).as(finished.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(finished.summary()).startsWith("finished the update of run " + cut.runId()).contains("ended well; the health gate passed");
        assertThat(host.state().history().get(0).applied()).extracting(AppliedStep::provider).containsExactly("git", "slow");
        assertThat(log).doesNotExist();
        assertThat(repositories.configHead()).isEqualTo(more);
    }

    @Test
    void aStepLeftRunningThatFailsIsRolledBackWholeByTheNextRun()
            throws Exception
    {
        repositories.push("more.json", "{}\n", "more");
        JobResult stopped = stopMidStep("sleep 1; echo 'half done'; exit 3");
        assertThat(stopped.outcome()).isEqualTo(RunOutcome.FAILED);

        JobResult finished = apply();

        assertThat(finished.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(finished.summary()).startsWith("rolled back (automatic) slow, git").contains("was cut off while applying git, slow").contains("exited with 3: half done");
        assertThat(log).content().isEqualToIgnoringNewLines("rollback slow");
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void theDaemonsStartRunsTheUpdateJobOnlyWhenAnUpdateWasCutOff()
            throws Exception
    {
        Path marker = folder.resolve("slow-applied");
        CountDownLatch resumed = new CountDownLatch(1);
        host.jobs.job(UpdatePlugin.UPDATE_JOB, runId -> {
            try {
                JobResult result = apply();
                return TestingJobRunner.report(runId, UpdatePlugin.UPDATE_JOB, result.outcome(), result.summary());
            }
            finally {
                resumed.countDown();
            }
        });
        UpdateResumption quiet = new UpdateResumption(new UpdateStateStore(host), host.jobs);
        quiet.start();
        Thread.sleep(500);
        quiet.stop();
        assertThat(host.jobs.runs()).isEmpty();
        stopMidStep("sleep 1; echo done > '" + marker + "'");

        UpdateResumption resumption = new UpdateResumption(new UpdateStateStore(host), host.jobs);
        resumption.start();

        // until the resumed run has returned, not just saved its outcome: it still writes into the test's folder
        assertThat(resumed.await(1, TimeUnit.MINUTES)).as("the resumed update job returned").isTrue();
        resumption.stop();
        // the interrupted run asked for the backup before it applied; the resumed one asked for the gate's health run only
        assertThat(host.jobs.runs()).containsExactly("backup", UpdatePlugin.UPDATE_JOB, "health");
        assertThat(host.state().history().get(0).outcome()).isEqualTo(UpdateRecord.APPLIED);
        assertThat(marker).exists();
    }

    @Test
    void aCutOffCommandThatCannotBeUndoneHalfWayIsLeftForAPersonByAHandRollbackToo()
            throws Exception
    {
        repositories.push("more.json", "{}\n", "more");
        stopMidStep("sleep 1; exit 3", false);

        JobResult rollback = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));

        assertThat(rollback.summary()).contains("slow: what its cut-off apply changed stays").startsWith("rolled back (manual) git");
        assertThat(log).as("its rollback command was not run").doesNotExist();
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    /** An update of git and a slow command provider whose run is interrupted while the command runs. */
    private JobResult stopMidStep(String slowApply)
            throws Exception
    {
        return stopMidStep(slowApply, true);
    }

    private JobResult stopMidStep(String slowApply, boolean rollbackFailedApply)
            throws Exception
    {
        Path started = folder.resolve("slow-started");
        ProviderSettings.Command slow = new ProviderSettings.Command("slow", List.of(), List.of("sh", "-c", "touch '" + started + "'; " + slowApply),
                List.of("sh", "-c", "echo 'rollback slow' >> '" + log + "'"), null, Duration.ofMinutes(1), rollbackFailedApply);
        host.settings(TestingUpdateHost.settings(List.of(git(), slow), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        JobResult[] result = new JobResult[1];
        boolean[] keptInterrupt = new boolean[1];
        Thread update = new Thread(() -> {
            try {
                result[0] = apply();
                keptInterrupt[0] = Thread.currentThread().isInterrupted();
            }
            catch (InterruptedException e) {
                throw new AssertionError("the update must record itself before the interrupt goes on", e);
            }
        });
        update.start();
        // interrupted in the step, not in the git commands and state writes before it (or in the runner's
        // own writes as it starts the step): once the step runs and the runner has recorded its process,
        // the last thing it writes before it waits for it
        awaitStepRunning(update, started);
        assertThat(started).as("the slow step started").exists();
        update.interrupt();
        update.join(20_000);
        assertThat(update.isAlive()).isFalse();
        assertThat(keptInterrupt[0]).as("the interrupt is kept for the engine").isTrue();
        assertThat(log).as("nothing rolled back while the step runs").doesNotExist();
        return result[0];
    }

    /** Waits (a minute at most) until the step that touches {@code started} runs and its process is on record, or {@code worker} ended. */
    private void awaitStepRunning(Thread worker, Path started)
            throws Exception
    {
        Path commands = host.paths.stateDir().resolve("update-commands");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (worker.isAlive() && !(Files.exists(started) && stepRecorded(commands, started)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Whether a program whose command names {@code text} has its process on record in {@code commands}. */
    private static boolean stepRecorded(Path commands, Path text)
            throws IOException
    {
        try (Stream<Path> folders = Files.list(commands)) {
            return folders.anyMatch(command -> {
                try {
                    return Files.readString(command.resolve("command")).contains(text.toString()) && Files.exists(command.resolve("process"));
                }
                catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aProviderIsCheckedAgainAfterAnEarlierOneChangedWhatItBuildsFrom()
            throws Exception
    {
        // as nixos builds the config repository git fast-forwards: before git's apply, nothing to do
        Path repository = repositories.config();
        ProviderSettings.Command builds = new ProviderSettings.Command("builds-from-config", List.of("sh", "-c", "test -f '" + repository.resolve("bridge.json") + "'"),
                List.of("sh", "-c", "echo 'apply builds-from-config' >> '" + log + "'"), List.of("sh", "-c", "echo 'rollback builds-from-config' >> '" + log + "'"), null, null, null);
        host.settings(TestingUpdateHost.settings(List.of(git(), builds), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        assertThat(repository.resolve("bridge.json")).doesNotExist();

        JobResult result = apply();

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(lines(log)).containsExactly("apply builds-from-config");
        assertThat(host.state().history().get(0).applied()).extracting(AppliedStep::provider).containsExactly("git", "builds-from-config");
    }

    @Test
    @SuppressWarnings("try") // the lock is held by the try block
    void aRollbackWaitsForNoUpdateAndAnUpdateForNoRollback()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        apply();
        // an update (or rollback) of another run holds the lock, e.g. in its health gate
        try (UpdateLock other = UpdateLock.tryAcquire(host.paths.stateDir().resolve("update-apply.lock")).orElseThrow()) {
            JobResult rollback = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));

            assertThat(rollback.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(rollback.summary()).startsWith("another update or rollback is running");
            assertThat(apply().summary()).startsWith("another update or rollback is running");
        }
        assertThat(host.state().history()).extracting(UpdateRecord::outcome).containsExactly("applied");
        JobResult rollback = host.service().rollback(host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class), host.run(UpdatePlugin.ROLLBACK_JOB, new NoSettings(), Trigger.MANUAL));
        assertThat(rollback.outcome()).as(rollback.summary()).isEqualTo(RunOutcome.SUCCESS);
    }

    @Test
    void theScheduledCheckKeepsTheSeedsDayGuardAndAManualOneDoesNot()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        UpdateCheckSettings checkSettings = UpdateCheckSettings.defaults();

        JobResult first = host.service().check(checkSettings, host.run(UpdatePlugin.CHECK_JOB, checkSettings, Trigger.SCHEDULE));
        JobResult second = host.service().check(checkSettings, host.run(UpdatePlugin.CHECK_JOB, checkSettings, Trigger.CATCH_UP));
        JobResult manual = host.service().check(checkSettings, host.run(UpdatePlugin.CHECK_JOB, checkSettings, Trigger.REQUESTED));

        assertThat(first.summary()).startsWith("updates available: git 1 incoming commit(s)");
        assertThat(second.summary()).startsWith("skipped: the last check");
        assertThat(manual.summary()).startsWith("updates available");
        UpdateStatus status = host.status();
        assertThat(status.updatesAvailable()).isTrue();
        assertThat(status.localCommit()).isEqualTo(before);
        assertThat(status.remoteCommit()).isEqualTo(pushed);
        assertThat(status.providers()).extracting(ProviderCheck::provider).containsExactly("git", "first", "second");
        assertThat(status.configured()).extracting(provider -> provider.get("name") + " " + provider.get("type")).containsExactly("git git", "first command", "second command");
        assertThat(status.configured().get(0)).containsEntry("repository", repositories.config().toString());
        assertThat(repositories.configHead()).isEqualTo(before);
    }

    @Test
    void anUnreadableStatusFileDoesNotStopTheScheduledCheck()
            throws Exception
    {
        host.settings(TestingUpdateHost.settings(providers(), true));
        Files.createDirectories(host.paths.dataDir());
        Files.writeString(host.paths.dataDir().resolve(UpdateStatus.FILE), "{\"last_check\": ");
        UpdateCheckSettings checkSettings = UpdateCheckSettings.defaults();

        JobResult result = host.service().check(checkSettings, host.run(UpdatePlugin.CHECK_JOB, checkSettings, Trigger.SCHEDULE));

        assertThat(result.summary()).startsWith("updates available");
        assertThat(host.status().remoteCommit()).isEqualTo(pushed);
    }

    private JobResult apply()
            throws InterruptedException
    {
        UpdateSettings settings = host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class);
        return host.service().apply(settings, host.run(UpdatePlugin.UPDATE_JOB, settings, Trigger.MANUAL));
    }

    private List<ProviderSettings> providers()
    {
        return List.of(git(), loggingCommand("first", log, repositories.config()), loggingCommand("second", log, repositories.config()));
    }

    private ProviderSettings.Git git()
    {
        return new ProviderSettings.Git(null, repositories.config(), null, null, Duration.ofSeconds(30));
    }
}
