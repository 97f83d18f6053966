package io.hyperops.engine;

import io.hyperops.engine.run.RunRecord;
import io.hyperops.spi.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Like systemd's Persistent=true: fires missed while the engine was down give one run at start; and fires are never held up. */
final class TestCatchUp
{
    private static final Instant MONDAY_NOON = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void twoMissedFiresGiveExactlyOneCatchUpRun()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily", "catch_up": true } }
                """);
        MutableClock clock = new MutableClock(MONDAY_NOON);
        startAndStop(config, clock);

        // Down from Monday noon to Wednesday noon: the daily fires of Tuesday and Wednesday 00:00 are missed.
        clock.advance(Duration.ofDays(2));
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Await.until("the catch-up run", () -> finishedRuns(engine).size() == 1);
            // Give a second catch-up every chance to show up before concluding there is none.
            Thread.sleep(1500);
            List<RunRecord> runs = finishedRuns(engine);
            assertThat(runs).singleElement().satisfies(run -> assertThat(run.trigger()).isEqualTo(Trigger.CATCH_UP));
        }

        // Started again right away: nothing was missed since, so nothing runs.
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Thread.sleep(1500);
            assertThat(finishedRuns(engine)).hasSize(1);
        }
    }

    @Test
    void noCatchUpWhenTheJobSaysSo()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily", "catch_up": false } }
                """);
        MutableClock clock = new MutableClock(MONDAY_NOON);
        startAndStop(config, clock);
        clock.advance(Duration.ofDays(2));

        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Thread.sleep(1500);
            assertThat(finishedRuns(engine)).isEmpty();
        }
    }

    @Test
    void theFirstStartEverCatchesNothingUp()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "hourly", "catch_up": true } }
                """);
        try (Engine engine = TestingEngine.create(config, new MutableClock(MONDAY_NOON))) {
            engine.startScheduling();
            Thread.sleep(1500);
            assertThat(finishedRuns(engine)).isEmpty();
        }
    }

    @Test
    void aFireWaitingOutItsJitterWhenTheEngineStopsIsCaughtUpAtTheNextStart()
            throws Exception
    {
        // a real fire a few seconds from now (time to start on a busy machine), whose run the jitter puts up to an hour later
        ZonedDateTime fire = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "%s", "catch_up": true, "jitter": "1h" } }
                """.formatted(fire.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))));
        MutableClock clock = new MutableClock(Instant.now());
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Await.until("the schedule to fire", () -> Instant.now().isAfter(fire.toInstant().plusSeconds(1)));
            assertThat(finishedRuns(engine)).isEmpty();
        }

        // stopped within the jitter: the fire never ran, so the next start catches it up
        clock.advance(Duration.between(clock.instant(), Instant.now()));
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Await.until("the catch-up run", () -> finishedRuns(engine).size() == 1);
            assertThat(finishedRuns(engine)).singleElement().satisfies(run -> assertThat(run.trigger()).isEqualTo(Trigger.CATCH_UP));
            // the dated schedule has passed: the engine started all the same, and the job no longer fires on its own
            assertThat(engine.scheduler().nextFire("counter")).isEmpty();
        }
    }

    @Test
    void aDamagedStampDecidesNoCatchUpAndDoesNotStopTheEngine()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily", "catch_up": true } }
                """);
        MutableClock clock = new MutableClock(MONDAY_NOON);
        startAndStop(config, clock);
        Path stamp = folder.resolve("data/hyperops/catch-up/counter.json");
        assertThat(stamp).exists();
        Files.writeString(stamp, "{ \"last_fire\": tor");
        clock.advance(Duration.ofDays(2));

        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Thread.sleep(1000);
            assertThat(finishedRuns(engine)).isEmpty();
        }
        // written anew at that start: the next downtime is caught up again
        clock.advance(Duration.ofDays(1));
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
            Await.until("the catch-up run", () -> finishedRuns(engine).size() == 1);
        }
    }

    @Test
    void aLongRunDoesNotHoldUpTheFiresOfOtherJobs()
            throws Exception
    {
        // one Quartz worker; sleepy starts a second after start and runs for eight; counter fires every two seconds
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "schedule": "2099-01-01 00:00", "run_after_start": "1s", "settings": { "release_file": "%s", "max_wait": "8s" } },
                  "counter": { "schedule": "*-*-* *:*:00/2" } }
                """.formatted(folder.resolve("never")));
        Files.writeString(config, Files.readString(config).replace("\"worker_threads\": 4", "\"worker_threads\": 1"));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            // held on the one worker, counter would wait until sleepy ends
            Await.until("a run of counter that started and ended while sleepy ran", () -> {
                Optional<RunRecord> sleepy = engine.history().list(Optional.of("sleepy"), 10).stream().findFirst();
                return sleepy.filter(RunRecord::running)
                        .map(running -> finishedRuns(engine).stream().anyMatch(run -> run.start().isAfter(running.start())))
                        .orElse(false)
                        && engine.history().list(Optional.of("sleepy"), 10).get(0).running();
            });
        }
    }

    @Test
    void aStampThatCannotBeWrittenCostsNeitherTheStartNorTheRun()
            throws Exception
    {
        // every two seconds: the first fire comes however long the start takes
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "*-*-* *:*:00/2", "catch_up": true } }
                """);
        // what a full disk does to the stamp's write, made certain: a file where its folder goes
        Files.createDirectories(folder.resolve("data/hyperops"));
        Files.writeString(folder.resolve("data/hyperops/catch-up"), "not a folder");

        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            Await.until("a scheduled run", () -> !finishedRuns(engine).isEmpty());
            assertThat(finishedRuns(engine)).allSatisfy(run -> assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULE));
        }
    }

    private static void startAndStop(Path config, MutableClock clock)
            throws Exception
    {
        try (Engine engine = TestingEngine.create(config, clock)) {
            engine.startScheduling();
        }
    }

    private static List<RunRecord> finishedRuns(Engine engine)
    {
        return engine.history().list(Optional.of("counter"), 100).stream().filter(run -> !run.running()).toList();
    }
}
