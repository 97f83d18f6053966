package io.hyperops.engine.config;

import io.hyperops.engine.TestingEngine;
import io.hyperops.engine.TestingPlugin;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.Overlap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

final class TestConfigLoader
{
    private static final Path FILE = Path.of("/etc/hypervisor/hyperops.json");

    private final ConfigLoader loader = new ConfigLoader(JsonMapper.create(), TestingEngine.CATALOG);

    @Test
    void bytesThatAreNotUtf8AreRefusedAsWhenTheFileIsReadNeverReplaced()
    {
        // a Latin-1 e-acute in a comment: the daemon, which judges the bytes it keeps, must agree with config check
        byte[] latin1 = "{ // caf\u00e9\n \"jobs\": {} }".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> loader.parse(Path.of("hyperops.json"), latin1, Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read").hasMessageContaining("not UTF-8");
    }

    @Test
    void theEnginesFactsTellARefusedEditAndForgetItOnceAnEditIsAccepted()
            throws Exception
    {
        EngineConfig config = loader.parse(Path.of("hyperops.json"), "{}");
        CurrentConfig current = new CurrentConfig(config);
        CurrentEngineFacts facts = new CurrentEngineFacts(current);
        assertThat(facts.refusedEdit()).isEmpty();

        current.refuse(List.of(new ConfigProblem(Path.of("hyperops.json"), 3, 7, "jobs.counter.schedule", "not a schedule: 'dayly'")), Instant.now());
        assertThat(facts.refusedEdit()).singleElement().asString().contains("hyperops.json:3:7").contains("not a schedule: 'dayly'");

        current.accept(config, Instant.now());
        assertThat(facts.refusedEdit()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceWithLineColumnAndSuggestion()
    {
        String text = """
                {
                  "engine": { "data_dir": "/tmp/x" },
                  "jobs": {
                    "counter": { "shedule": "daily" },
                    "sleepy": { "schedule": "dayly" },
                    "countr": { "enabled": true }
                  }
                }
                """;
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, text));

        assertThat(error.problems()).hasSize(3);
        assertThat(error.problems().get(0)).satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.column()).isEqualTo(18);
            assertThat(problem.path()).isEqualTo("jobs.counter.shedule");
            assertThat(problem.message()).contains("unknown key 'shedule'").contains("did you mean 'schedule'?");
        });
        assertThat(error.problems().get(1)).satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(5);
            assertThat(problem.column()).isEqualTo(29);
            assertThat(problem.path()).isEqualTo("jobs.sleepy.schedule");
            assertThat(problem.message()).contains("'dayly'").contains("did you mean 'daily'?");
        });
        assertThat(error.problems().get(2)).satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(6);
            assertThat(problem.column()).isEqualTo(5);
            assertThat(problem.path()).isEqualTo("jobs.countr");
            assertThat(problem.message()).contains("unknown job 'countr'").contains("did you mean 'counter'?");
        });
        assertThat(error.getMessage())
                .startsWith("3 problems in the config file:")
                .contains("/etc/hypervisor/hyperops.json:4:18: jobs.counter.shedule: unknown key 'shedule'; did you mean 'schedule'?");
    }

    @Test
    void wrongTypesAndInvalidSettingsAreReportedWithTheExpectedForm()
    {
        String text = """
                {
                  "engine": { "worker_threads": "many", "shutdown_grace": "soon" },
                  "jobs": {
                    "counter": { "overlap": "sometimes", "settings": { "step": 0 } },
                    "sleepy": { "settings": { "max_wait": "1h", "relase_file": "/tmp/r" } }
                  }
                }
                """;
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, text));

        assertThat(error.problems()).extracting(ConfigProblem::path).containsExactly(
                "engine.worker_threads",
                "engine.shutdown_grace",
                "jobs.counter.overlap",
                "jobs.counter.settings.step",
                "jobs.sleepy.settings.relase_file");
        assertThat(error.problems()).extracting(ConfigProblem::message).satisfiesExactly(
                message -> assertThat(message).isEqualTo("expected a whole number, not the text \"many\""),
                message -> assertThat(message).contains("soon"),
                message -> assertThat(message).contains("'skip' or 'queue'"),
                message -> assertThat(message).isEqualTo("step must be at least 1, not 0"),
                message -> assertThat(message).contains("did you mean 'release_file'?"));
    }

    @Test
    void aValueOfTheWrongJsonKindIsRefusedNotCoerced()
    {
        String text = """
                {
                  "engine": { "data_dir": 5, "libvirt_uri": true, "worker_threads": 3.7, "control_socket": "/tmp/c.sock" },
                  "jobs": { "counter": { "settings": { "step": "2" } } }
                }
                """;
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, text));

        assertThat(error.problems()).extracting(ConfigProblem::path, ConfigProblem::message).containsExactlyInAnyOrder(
                tuple("engine.data_dir", "expected a text in quotes, not the number 5"),
                tuple("engine.libvirt_uri", "expected a text in quotes, not true"),
                tuple("engine.worker_threads", "expected a whole number, not the number 3.7"),
                tuple("jobs.counter.settings.step", "expected a whole number, not the text \"2\""));
    }

    @Test
    void anEmptyFileAndAKeyGivenTwiceAreRefusedNotReadAsDefaults()
    {
        ConfigException empty = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, "  \n"));
        assertThat(empty.problems()).singleElement().satisfies(problem -> assertThat(problem.message()).contains("the file is empty; write {} for every default"));

        String twice = """
                {
                  "jobs": {
                    "counter": { "schedule": "hourly", "schedule": "manual" }
                  }
                }
                """;
        ConfigException duplicate = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, twice));
        assertThat(duplicate.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).isEqualTo("key 'schedule' appears twice in one object; keep one");
            assertThat(problem.line()).isEqualTo(3);
        });
    }

    @Test
    void aSettingsRecordsRefusalPointsAtTheSettingItNames()
    {
        String text = """
                {
                  "jobs": {
                    "counter": {
                      "settings": {
                        "step": 0
                      }
                    }
                  }
                }
                """;
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, text));

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(5);
            assertThat(problem.path()).isEqualTo("jobs.counter.settings.step");
            assertThat(problem.message()).isEqualTo("step must be at least 1, not 0");
        });
    }

    @Test
    void commentsAndTrailingCommasAreAccepted()
            throws ConfigException
    {
        String text = """
                // hyperops config
                {
                  /* the engine */
                  "engine": { "data_dir": "/srv/hv", "time_zone": "Europe/Berlin", },
                  "jobs": {
                    "counter": { "schedule": "Mon..Fri 22:00", "jitter": "30min", "catch_up": true, "overlap": "queue", "settings": { "step": 2 } },
                  },
                }
                """;
        EngineConfig config = loader.parse(FILE, text);

        assertThat(config.engine().dataDir()).isEqualTo(Path.of("/srv/hv"));
        assertThat(config.engine().stateDir()).isEqualTo(Path.of("/srv/hv/hyperops"));
        assertThat(config.engine().logDir()).isEqualTo(Path.of("/srv/hv/logs"));
        JobConfig counter = config.job("counter").orElseThrow();
        assertThat(counter.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(counter.jitter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(counter.catchUp()).isTrue();
        assertThat(counter.overlap()).isEqualTo(Overlap.QUEUE);
        assertThat(counter.settings()).isEqualTo(new TestingPlugin.CounterSettings(2));
        // Jobs the file does not mention run with their defaults.
        assertThat(config.job("sleepy").orElseThrow().schedule().isManual()).isTrue();
    }

    @Test
    void anEmptyObjectGivesEveryDefault()
            throws ConfigException
    {
        EngineConfig config = loader.parse(FILE, "{}");

        assertThat(config.engine().libvirtUri()).isEqualTo("qemu:///system");
        assertThat(config.engine().dataDir()).isEqualTo(Path.of("/var/lib/hypervisor"));
        assertThat(config.jobs().keySet()).containsExactly("caller", "counter", "sleepy");
        assertThat(config.job("counter").orElseThrow().schedule().expression()).isEqualTo("daily");
    }

    @Test
    void brokenJsonIsReportedAtItsPosition()
    {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, "{\n  \"engine\": {,\n}"));

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.message()).startsWith("not valid JSON");
        });
    }

    @Test
    void unknownTopLevelKeysAreNamed()
    {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> loader.parse(FILE, "{ \"job\": {} }"));

        assertThat(error.problems()).extracting(ConfigProblem::message).containsExactly("unknown key 'job'; did you mean 'jobs'?");
    }

    @Test
    void aMissingFileSaysWhatToDo()
    {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/hyperops.json")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("file not found")
                .hasMessageContaining("--config");
    }

    @Test
    void suggestionsNeedACloseName()
    {
        assertThat(Suggestions.didYouMean("shedule", List.of("schedule", "timeout"))).isEqualTo("; did you mean 'schedule'?");
        assertThat(Suggestions.didYouMean("banana", List.of("schedule", "timeout"))).isEmpty();
    }
}
