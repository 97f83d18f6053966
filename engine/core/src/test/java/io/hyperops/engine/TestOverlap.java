package io.hyperops.engine;

import io.hyperops.engine.run.RunRecord;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** A trigger that arrives while its job runs is skipped or queued per the job's policy, and history says so. */
final class TestOverlap
{
    @TempDir
    Path folder;

    @Test
    void skipPolicyRecordsTheSecondTriggerAsSkipped()
            throws Exception
    {
        Path release = folder.resolve("release");
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "overlap": "skip", "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(release, started));
        ExecutorService threads = Executors.newCachedThreadPool();
        try (Engine engine = TestingEngine.create(config, java.time.Clock.systemUTC())) {
            Future<RunRecord> first = threads.submit(() -> engine.run("sleepy", Trigger.MANUAL));
            Await.until("the first run to start", () -> Files.exists(started));

            RunRecord second = engine.run("sleepy", Trigger.SCHEDULE);
            assertThat(second.outcome()).contains(RunOutcome.SKIPPED);
            assertThat(second.summary()).contains("is still going").contains("overlap: skip");

            Files.createFile(release);
            assertThat(first.get().outcome()).contains(RunOutcome.SUCCESS);
            List<RunRecord> history = engine.history().list(Optional.of("sleepy"), 10);
            assertThat(history).extracting(run -> run.outcome().orElseThrow()).containsExactlyInAnyOrder(RunOutcome.SUCCESS, RunOutcome.SKIPPED);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shutdownWaitsForARunAdmittedBeforeItRegistered()
            throws Exception
    {
        // The CI failure this guards against: a run submitted just before shutdown was admitted but not
        // yet registered, so shutdown did not wait and the run wrote its history into a removed folder.
        Path config = TestingEngine.writeConfig(folder, "{}");
        // a grace period long enough for a cold run on a busy machine: what is tested is the waiting
        Files.writeString(config, Files.readString(config).replace("\"shutdown_grace\": \"2s\"", "\"shutdown_grace\": \"2min\""));
        ExecutorService threads = Executors.newSingleThreadExecutor();
        Engine engine = TestingEngine.create(config, java.time.Clock.systemUTC());
        try {
            engine.startScheduling();
            io.hyperops.engine.run.RunExecutor.Submission submission =
                    engine.instance(io.hyperops.engine.run.RunExecutor.class).submit("counter", Trigger.MANUAL, threads);
            engine.close();

            assertThat(submission.result()).as("the run's record was written before shutdown returned").isDone();
            assertThat(submission.result().get().outcome()).contains(RunOutcome.SUCCESS);
        }
        finally {
            // closed in any case: a failed assertion must not leave its scheduler to the next test
            engine.close();
            threads.shutdownNow();
        }
    }

    @Test
    void queuePolicyRunsOneWaiterAfterwardsAndSkipsTheRest()
            throws Exception
    {
        Path release = folder.resolve("release");
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "overlap": "queue", "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(release, started));
        ExecutorService threads = Executors.newCachedThreadPool();
        try (Engine engine = TestingEngine.create(config, java.time.Clock.systemUTC())) {
            Future<RunRecord> first = threads.submit(() -> engine.run("sleepy", Trigger.MANUAL));
            Await.until("the first run to start", () -> Files.exists(started));
            Future<RunRecord> queued = threads.submit(() -> engine.run("sleepy", Trigger.SCHEDULE));
            Await.until("the second trigger to wait in the queue", () -> engine.queued("sleepy"));

            RunRecord third = engine.run("sleepy", Trigger.SCHEDULE);
            assertThat(third.outcome()).contains(RunOutcome.SKIPPED);
            assertThat(third.summary()).contains("another run already waits");

            Files.createFile(release);
            assertThat(first.get().outcome()).contains(RunOutcome.SUCCESS);
            RunRecord second = queued.get();
            assertThat(second.outcome()).contains(RunOutcome.SUCCESS);
            assertThat(second.start()).isAfterOrEqualTo(first.get().end().orElseThrow());
            assertThat(engine.history().list(Optional.of("sleepy"), 10))
                    .extracting(run -> run.outcome().orElseThrow())
                    .containsExactlyInAnyOrder(RunOutcome.SUCCESS, RunOutcome.SUCCESS, RunOutcome.SKIPPED);
        }
        finally {
            threads.shutdownNow();
        }
    }
}
