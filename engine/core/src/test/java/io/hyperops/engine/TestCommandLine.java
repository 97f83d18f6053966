package io.hyperops.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

final class TestCommandLine
{
    @TempDir
    Path folder;

    @Test
    void configCheckListsEveryProblemAndExits78()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "shedule": "daily" }, "sleepy": { "schedule": "dayly" }, "countr": {} }
                """);
        Result result = run("config", "check", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err())
                .contains("3 problems in the config file:")
                .contains(config + ":11:26: jobs.counter.shedule: unknown key 'shedule'; did you mean 'schedule'?")
                .contains("jobs.sleepy.schedule: not a schedule: 'dayly'")
                .contains("jobs.countr: unknown job 'countr'; did you mean 'counter'?");
    }

    @Test
    void theDaemonRefusesToStartOnAnInvalidConfigAndStartsNothing()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                { "counter": { "shedule": "daily" } }
                """);
        Result result = run("daemon", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err()).contains("unknown key 'shedule'").contains("not started");
        assertThat(folder.resolve("data")).doesNotExist();
    }

    @Test
    void anEditTheDaemonRefusedLeavesTheConfigItLastAcceptedInForceAcrossARestartAndForCommandsThatOnlyRead()
            throws Exception
    {
        // A typo saved while the daemon runs: it keeps its config; a reboot must not leave the host with no
        // daemon, and an operator must still be able to look at jobs and the tasks' listings.
        Path config = TestingEngine.writeConfig(folder, "{ \"counter\": { \"schedule\": \"daily\" } }");
        Process first = JavaProcess.start(folder.resolve("first.log"), Main.class, "daemon", "--config", config.toString());
        try {
            Await.until("the daemon listens", Duration.ofSeconds(60), () -> Files.exists(folder.resolve("control.sock")));
            Await.until("the accepted copy is kept", Duration.ofSeconds(10), () -> accepted().isPresent());
            assertThat(accepted().orElseThrow()).content().contains("\"daily\"");
            // an edit it accepts replaces the copy; one it refuses does not
            Files.writeString(config, Files.readString(config).replace("\"daily\"", "\"weekly\""));
            assertThat(run("config", "reload", "--config", config.toString()).exitCode()).isZero();
            assertThat(accepted().orElseThrow()).content().contains("\"weekly\"");
            Files.writeString(config, Files.readString(config).replace("\"weekly\"", "\"wekly\""));
            assertThat(run("config", "reload", "--config", config.toString()).exitCode()).isEqualTo(ExitCodes.CONFIG);
            assertThat(accepted().orElseThrow()).content().contains("\"weekly\"");
        }
        finally {
            first.destroy();
            first.waitFor();
        }
        assertThat(folder.resolve("control.sock")).as("the stopped daemon removed its socket").doesNotExist();

        Process next = JavaProcess.start(folder.resolve("next.log"), Main.class, "daemon", "--config", config.toString());
        try {
            Await.until("the daemon listens", Duration.ofSeconds(60), () -> Files.exists(folder.resolve("control.sock")));
            Result status = run("status", "--config", config.toString());
            Result jobs = run("jobs", "--config", config.toString());

            assertThat(status.out()).as(status.toString()).contains("last edit REFUSED");
            assertThat(jobs.exitCode()).isZero();
            assertThat(jobs.out()).containsPattern("counter +yes +weekly");
            assertThat(Files.readString(folder.resolve("next.log"))).contains("has problems, so this start uses the config last accepted").contains("not a schedule: 'wekly'");
            // the same bytes, the same verdict; then the fixed file is taken
            assertThat(run("config", "reload", "--config", config.toString()).exitCode()).isEqualTo(ExitCodes.CONFIG);
            Files.writeString(config, Files.readString(config).replace("\"wekly\"", "\"monthly\""));
            assertThat(run("config", "reload", "--config", config.toString()).exitCode()).isZero();
            assertThat(run("status", "--config", config.toString()).out()).contains("last edit accepted");
            assertThat(accepted().orElseThrow()).content().contains("\"monthly\"");
            Files.writeString(config, Files.readString(config).replace("\"monthly\"", "\"mothly\""));
            assertThat(run("config", "reload", "--config", config.toString()).exitCode()).isEqualTo(ExitCodes.CONFIG);
        }
        finally {
            next.destroy();
            next.waitFor();
        }

        // no daemon now: what only reads uses the accepted copy and says so; what changes things refuses
        Result list = run("testing-echo", "--config", config.toString(), "list");
        Result forecast = run("forecast", "counter", "--config", config.toString());
        Result echo = run("testing-echo", "--config", config.toString(), "hello");
        Result runJob = run("run-job", "counter", "--local", "--config", config.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.err()).contains("has problems").contains("reading with the config last accepted from it");
        assertThat(list.out()).contains("arguments: list");
        assertThat(forecast.exitCode()).as(forecast.err()).isZero();
        assertThat(echo.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(echo.err()).contains("not a schedule: 'mothly'").contains("does not run on the config last accepted");
        assertThat(runJob.exitCode()).isEqualTo(ExitCodes.CONFIG);

        // another file with the same state folder (or a mistyped --config) never finds this file's copy
        Path other = folder.resolve("other.json");
        Files.writeString(other, Files.readString(config));
        assertThat(run("testing-echo", "--config", other.toString(), "list").exitCode()).isEqualTo(ExitCodes.CONFIG);
    }

    /** The copy the daemon keeps of the config it last accepted, in the test engine's state folder. */
    private Optional<Path> accepted()
    {
        try (Stream<Path> files = Files.list(folder.resolve("data/hyperops"))) {
            return files.filter(file -> file.getFileName().toString().matches("config-accepted-[0-9a-f]{16}\\.json")).findFirst();
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void runJobRunsAndReportsTheOutcome()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Result result = run("run-job", "counter", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(result.out()).containsPattern("counter-\\d{8}-\\d{6}-[0-9a-f]{4} success in [0-9.]+ s: count is 1");

        Result history = run("history", "counter", "--config", config.toString());
        assertThat(history.out()).contains("RUN").contains("manual").contains("count is 1");

        // no daemon: logs reads the files
        Result logs = run("logs", "--job", "counter", "--config", config.toString());
        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("Counted to 1").contains("job=counter");

        Result jobs = run("jobs", "--config", config.toString());
        assertThat(jobs.out()).containsPattern("counter\\s+yes\\s+daily\\s+\\d{4}-\\d\\d-\\d\\d 00:00 UTC\\s+success");
    }

    @Test
    void forecastListsTheNextFireTimesAsATableAndAsJson()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, """
                {"counter": {"schedule": "Mon 02:30"}}
                """);

        Result table = run("forecast", "counter", "-c", "2", "--config", config.toString());
        Result json = run("forecast", "counter", "-c", "3", "--json", "--config", config.toString());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).containsPattern("counter\\s+Mon 02:30 \\(UTC\\)\\s+\\d{4}-\\d\\d-\\d\\d 02:30 UTC");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode forecasts = new ObjectMapper().readTree(json.out());
        assertThat(forecasts).hasSize(1);
        assertThat(forecasts.get(0).path("job").asText()).isEqualTo("counter");
        List<OffsetDateTime> fires = new ArrayList<>();
        forecasts.get(0).path("fires").forEach(fire -> fires.add(OffsetDateTime.parse(fire.asText())));
        assertThat(fires).hasSize(3).allSatisfy(fire -> {
            assertThat(fire.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
            assertThat(fire.toLocalTime()).isEqualTo(LocalTime.of(2, 30));
        });
        assertThat(Duration.between(fires.get(0), fires.get(1))).isEqualTo(Duration.ofDays(7));
        assertThat(run("forecast", "countre", "--config", config.toString()).err()).contains("did you mean 'counter'?");
    }

    @Test
    void anUnknownJobGetsASuggestion()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Result result = run("run-job", "countre", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no job named 'countre'; did you mean 'counter'?");
    }

    @Test
    void aTaskCommandGetsItsArgumentsAndTheEnginesServices()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Result result = run("testing-echo", "--config", config.toString(), "vm-create", "--name", "web", "--help", "--fail");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out())
                .contains("arguments: vm-create --name web --help --fail")
                .contains("state: " + folder.resolve("data/hyperops"));
        // root's in-process run is on the audit trail, with its outcome
        assertThat(Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl")))
                .contains("\"name\":\"testing-echo\"").contains("\"in_process\":true").contains("\"outcome\":\"exit 2\"");
    }

    @Test
    void aConfigPathThatNamesNoFileIsRefusedRatherThanSentToTheHostsDaemon()
    {
        Path typo = folder.resolve("hyperops.jsno");
        for (String command : new String[] {"status", "logs", "pause"}) {
            Result result = command.equals("pause") ? run(command, "counter", "--config", typo.toString()) : run(command, "--config", typo.toString());

            assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.CONFIG);
            assertThat(result.err()).as(command).contains(typo + " does not exist; check the --config path").doesNotContain("/run/hyperops");
        }
    }

    @Test
    void completionCoversTheTasksCommandsToo()
    {
        Result result = run("completion");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("testing-echo").contains("run-job");
    }

    record Result(int exitCode, String out, String err) {}

    static Result run(String... args)
    {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exitCode = Main.execute(args);
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
