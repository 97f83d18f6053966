package io.hyperops.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The running engine follows valid edits of its config file and refuses invalid ones. */
final class TestHotReload
{
    @TempDir
    Path folder;

    @Test
    void aValidEditReschedulesOnlyTheJobThatChanged()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily" }, "sleepy": { "schedule": "weekly" } }
                """);
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            Instant sleepyBefore = engine.scheduler().nextFire("sleepy").orElseThrow();
            assertThat(atUtc(engine.scheduler().nextFire("counter").orElseThrow()).getHour()).isZero();

            TestingEngine.writeConfig(folder, """
                    { "counter": { "schedule": "*-*-* 03:17:00" }, "sleepy": { "schedule": "weekly" } }
                    """);

            Await.until("counter to be rescheduled", () -> engine.scheduler().nextFire("counter").map(next -> atUtc(next).getMinute() == 17).orElse(false));
            assertThat(atUtc(engine.scheduler().nextFire("counter").orElseThrow()).getHour()).isEqualTo(3);
            assertThat(engine.config().job("counter").schedule().expression()).isEqualTo("*-*-* 03:17:00");
            assertThat(engine.config().lastReload()).hasValueSatisfying(status -> assertThat(status.accepted()).isTrue());
            // The other job kept its trigger: same next fire, and its config is the same object state.
            assertThat(engine.scheduler().nextFire("sleepy")).contains(sleepyBefore);
        }
    }

    @Test
    void anInvalidEditIsRefusedAndTheOldScheduleStaysInForce()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily" } }
                """);
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            Instant before = engine.scheduler().nextFire("counter").orElseThrow();

            Files.writeString(config, Files.readString(config).replace("\"daily\"", "\"every tuesday-ish\""));

            Await.until("the edit to be refused", () -> engine.config().lastReload().map(status -> !status.accepted()).orElse(false));
            assertThat(engine.config().lastReload().orElseThrow().problems())
                    .singleElement()
                    .satisfies(problem -> assertThat(problem.path()).isEqualTo("jobs.counter.schedule"));
            assertThat(engine.config().job("counter").schedule().expression()).isEqualTo("daily");
            assertThat(engine.scheduler().nextFire("counter")).contains(before);

            // the commands the daemon answers show what runs, and say the file has problems
            TestCommandLine.Result jobs = TestCommandLine.run("jobs", "--config", config.toString());
            assertThat(jobs.exitCode()).as(jobs.toString()).isZero();
            assertThat(jobs.out()).contains("counter", "daily");
            assertThat(jobs.err()).contains("has problems", "hyperops config check");
            TestCommandLine.Result history = TestCommandLine.run("history", "--config", config.toString());
            assertThat(history.exitCode()).as(history.toString()).isZero();
            // config check still reports the file's problem at its line
            TestCommandLine.Result check = TestCommandLine.run("config", "check", "--config", config.toString());
            assertThat(check.exitCode()).isEqualTo(io.hyperops.engine.cli.ExitCodes.CONFIG);
        }
    }

    @Test
    void aChangedTimeZoneWaitsForTheNextStartAsTheOtherEngineSettingsDo()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily" }, "sleepy": { "schedule": "weekly", "time_zone": "America/New_York" } }
                """);
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            Files.writeString(config, Files.readString(config).replace("\"UTC\"", "\"Asia/Tokyo\"").replace("\"daily\"", "\"*-*-* 03:17:00\""));

            Await.until("counter to be rescheduled", () -> engine.scheduler().nextFire("counter").map(next -> atUtc(next).getMinute() == 17).orElse(false));
            // 03:17 in the zone the engine started with (UTC), not in Tokyo's
            assertThat(atUtc(engine.scheduler().nextFire("counter").orElseThrow()).getHour()).isEqualTo(3);
            assertThat(engine.config().job("counter").schedule().zone()).isEqualTo(java.time.ZoneId.of("UTC"));
            // a job's own zone is its own
            assertThat(engine.config().job("sleepy").schedule().zone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
        }
    }

    @Test
    void aConfigFolderReplacedByAConfigurationToolIsWatchedAgain()
            throws Exception
    {
        Path written = TestingEngine.writeConfig(folder, """
                { "counter": { "schedule": "daily" } }
                """);
        Path etc = Files.createDirectory(folder.resolve("etc"));
        Path config = Files.move(written, etc.resolve("hyperops.json"));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            String text = Files.readString(config);

            // the folder deleted and made anew, as some configuration tools deploy
            Files.delete(config);
            Files.delete(etc);
            Thread.sleep(500);
            Files.createDirectory(etc);
            Files.writeString(config, text.replace("\"daily\"", "\"*-*-* 03:17:00\""));

            Await.until("counter to be rescheduled", () -> engine.scheduler().nextFire("counter").map(next -> atUtc(next).getMinute() == 17).orElse(false));
            // and edits after that are seen too
            Files.writeString(config, text.replace("\"daily\"", "\"*-*-* 04:18:00\""));
            Await.until("counter to be rescheduled again", () -> engine.scheduler().nextFire("counter").map(next -> atUtc(next).getMinute() == 18).orElse(false));
        }
    }

    private static ZonedDateTime atUtc(Instant instant)
    {
        return instant.atZone(ZoneOffset.UTC);
    }
}
