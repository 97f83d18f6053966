package io.hyperops.engine;

import io.hyperops.engine.run.RunRecord;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

final class TestRunExecutor
{
    @TempDir
    Path folder;

    @Test
    void aRunKeepsStateBetweenRunsAndIsRecorded()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "settings": { "step": 5 } } }
                """);
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            RunRecord first = engine.run("counter", Trigger.MANUAL);
            RunRecord second = engine.run("counter", Trigger.MANUAL);

            assertThat(first.outcome()).contains(RunOutcome.SUCCESS);
            assertThat(second.summary()).isEqualTo("count is 10");
            assertThat(Files.readString(folder.resolve("data/hyperops/jobs/counter/count.json")))
                    .contains("\"schema_version\" : 1")
                    .contains("\"runs\" : 10");
            assertThat(engine.history().list(Optional.of("counter"), 10)).extracting(RunRecord::runId).containsExactly(second.runId(), first.runId());
        }
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndRecordedAsTimedOut()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "timeout": "1s", "settings": { "release_file": "%s" } } }
                """.formatted(folder.resolve("never")));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            RunRecord record = engine.run("sleepy", Trigger.MANUAL);

            assertThat(record.outcome()).contains(RunOutcome.TIMED_OUT);
            assertThat(record.summary()).isEqualTo("timed out after 1s");
        }
    }

    @Test
    void aJobThatCatchesItsTimeOutAndReturnsIsStillRecordedAsTimedOut()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "timeout": "1s", "settings": { "release_file": "%s", "return_when_stopped": true } } }
                """.formatted(folder.resolve("never")));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            RunRecord record = engine.run("sleepy", Trigger.MANUAL);

            assertThat(record.outcome()).contains(RunOutcome.TIMED_OUT);
            assertThat(record.summary()).isEqualTo("timed out after 1s; stopped before its release");
            assertThat(record.details()).containsEntry("stopped", true);
        }
    }

    @Test
    void aJobCanRunAnotherJobThroughTheSpi()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            RunRecord caller = engine.run("caller", Trigger.MANUAL);

            assertThat(caller.outcome()).contains(RunOutcome.SUCCESS);
            RunRecord counter = engine.history().list(Optional.of("counter"), 1).get(0);
            assertThat(counter.trigger()).isEqualTo(Trigger.REQUESTED);
            assertThat(caller.summary()).isEqualTo("counter ended success in run " + counter.runId());
        }
    }

    @Test
    void shutdownGivesRunsTheirGracePeriodThenInterruptsThem()
            throws Exception
    {
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(folder.resolve("never"), started));
        ExecutorService threads = Executors.newSingleThreadExecutor();
        Engine engine = TestingEngine.create(config, Clock.systemUTC());
        try {
            engine.startScheduling();
            Future<RunRecord> run = threads.submit(() -> engine.run("sleepy", Trigger.MANUAL));
            Await.until("the run to start", () -> Files.exists(started));

            long before = System.nanoTime();
            engine.close();
            long tookMillis = (System.nanoTime() - before) / 1_000_000;

            assertThat(run.get().outcome()).contains(RunOutcome.INTERRUPTED);
            // The config gives a 2 s grace period: the run was not cut short before it.
            assertThat(tookMillis).isGreaterThanOrEqualTo(2000);
        }
        finally {
            // closed in any case: a failed assertion must not leave its scheduler to the next test
            engine.close();
            threads.shutdownNow();
        }
    }

    @Test
    void taskServicesRunWhileTheDaemonRuns()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Engine engine = TestingEngine.create(config, Clock.systemUTC());
        TestingPlugin.Heartbeat heartbeat = engine.instance(TestingPlugin.Heartbeat.class);
        assertThat(heartbeat.events()).as("not started for in-process runs").isEmpty();

        engine.startScheduling();
        assertThat(heartbeat.events()).containsExactly("start");
        engine.close();
        assertThat(heartbeat.events()).containsExactly("start", "stop");
    }

    @Test
    void everyRunHasItsOwnLogFile()
            throws Exception
    {
        io.hyperops.engine.logging.LogSetup.withFiles(folder.resolve("data/logs"), io.hyperops.engine.logging.LogSetup.Console.QUIET);
        try {
            Path config = TestingEngine.writeConfig(folder, "{}");
            try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
                RunRecord record = engine.run("counter", Trigger.MANUAL);

                Path log = Path.of(record.logFile());
                assertThat(log).startsWith(folder.resolve("data/logs/runs/counter"));
                assertThat(Files.readString(log))
                        .contains("job=counter run=" + record.runId() + " - Counted to 1")
                        .contains("ended: success: count is 1");
                assertThat(Files.readString(folder.resolve("data/logs/hyperops.log"))).contains("Counted to 1");
            }
        }
        finally {
            io.hyperops.engine.logging.LogSetup.consoleOnly(io.hyperops.engine.logging.LogSetup.Console.QUIET);
        }
    }

    @Test
    void aPrunedRunTakesItsLogFileWithIt()
            throws Exception
    {
        io.hyperops.engine.logging.LogSetup.withFiles(folder.resolve("data/logs"), io.hyperops.engine.logging.LogSetup.Console.QUIET);
        try {
            Path config = TestingEngine.writeConfig(folder, "{}");
            Files.writeString(config, Files.readString(config).replace("\"time_zone\": \"UTC\"", "\"time_zone\": \"UTC\", \"history_max_runs\": 2"));
            try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
                for (int run = 0; run < 5; run++) {
                    engine.run("counter", Trigger.MANUAL);
                }

                assertThat(engine.history().list(Optional.of("counter"), 10)).hasSize(2);
                try (java.util.stream.Stream<Path> logs = Files.list(folder.resolve("data/logs/runs/counter"))) {
                    assertThat(logs.map(path -> path.getFileName().toString()))
                            .containsExactlyInAnyOrderElementsOf(engine.history().list(Optional.of("counter"), 10).stream().map(record -> record.runId() + ".log").toList());
                }
            }
        }
        finally {
            io.hyperops.engine.logging.LogSetup.consoleOnly(io.hyperops.engine.logging.LogSetup.Console.QUIET);
        }
    }

    @Test
    void aRunLeftRunningByADeadProcessIsClosedEvenWhenThisProcessHasItsPid()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        RunRecord ghost;
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            // what a power cut leaves: a run of a process that had, by chance, the pid this one has now
            RunRecord started = RunRecord.started("counter-20260101-000000-abcd", "counter", Trigger.MANUAL, Instant.parse("2026-01-01T00:00:00Z"), "");
            ghost = new RunRecord(started.runId(), started.job(), started.trigger(), started.start(), Optional.empty(), Optional.empty(), "running", java.util.Map.of(),
                    ProcessHandle.current().pid(), "", Optional.of("a-boot-long-ago/4242"));
            engine.history().save(ghost);
            RunRecord mine = RunRecord.started("counter-20260101-000001-abce", "counter", Trigger.MANUAL, Instant.parse("2026-01-01T00:00:01Z"), "");
            engine.history().save(mine);
        }

        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            java.util.List<RunRecord> runs = engine.history().list(Optional.of("counter"), 10);

            assertThat(runs).filteredOn(run -> run.runId().equals(ghost.runId())).singleElement()
                    .satisfies(run -> assertThat(run.outcome()).contains(RunOutcome.INTERRUPTED));
            // a record this very process wrote is not a ghost
            assertThat(runs).filteredOn(run -> run.runId().startsWith("counter-20260101-000001")).singleElement()
                    .satisfies(run -> assertThat(run.running()).isTrue());
        }
    }
}
