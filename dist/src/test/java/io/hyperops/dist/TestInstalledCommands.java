package io.hyperops.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The assembled tree: its launcher, its shipped config, and the docs generated from its code. */
final class TestInstalledCommands
{
    @TempDir
    Path folder;

    @Test
    void theShippedConfigIsValid()
            throws Exception
    {
        Installation.Result result = Installation.hyperops("config", "check", Installation.home().resolve("etc/hyperops.json").toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("valid");
    }

    @Test
    void theConfigurationReferenceInDocsMatchesTheCode()
            throws Exception
    {
        Installation.Result result = Installation.hyperops("config", "reference");
        Path documented = Path.of(System.getProperty("hyperops.docs")).resolve("configuration.md");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readString(documented))
                .as("docs/configuration.md is stale: regenerate it with 'dist/target/.../bin/hyperops config reference > docs/configuration.md'")
                .isEqualTo(result.out());
    }

    @Test
    void theShippedBashCompletionMatchesTheCommands()
            throws Exception
    {
        Installation.Result result = Installation.hyperops("completion");
        Path shipped = Path.of(System.getProperty("hyperops.dist")).resolve("src/main/completion/hyperops");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readString(shipped))
                .as("dist/src/main/completion/hyperops is stale: regenerate it with 'bin/hyperops completion > dist/src/main/completion/hyperops'")
                .isEqualTo(result.out());
    }

    @Test
    void jobsListsEveryTaskModulesJobs()
            throws Exception
    {
        Path config = folder.resolve("hyperops.json");
        Files.writeString(config, """
                { "engine": { "libvirt_uri": "test:///default", "data_dir": "%s" } }
                """.formatted(folder.resolve("data")));
        Installation.Result result = Installation.hyperops("jobs", "--config", config.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("metrics\\s+yes\\s+hourly");
    }

    @Test
    void aMissingOrUnusableBackupKeyIsReportedByConfigCheckBeforeAnyBackup()
            throws Exception
    {
        Path notAKey = Files.writeString(folder.resolve("not-a-key.asc"), "hello\n");
        for (Path key : List.of(folder.resolve("missing.asc"), notAKey)) {
            Path config = folder.resolve("hyperops.json");
            Files.writeString(config, """
                    {
                      "engine": { "libvirt_uri": "test:///default", "data_dir": "%s" },
                      "jobs": {
                        "backup": { "settings": { "encrypt": true, "recipient_key_file": "%s" } }
                      }
                    }
                    """.formatted(folder.resolve("data"), key));
            Installation.Result result = Installation.hyperops("config", "check", config.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(78);
            assertThat(result.err()).as(result.toString()).contains(config + ":4:").contains("jobs.backup.settings").contains(key.getFileName().toString());
        }
    }

    @Test
    void healthRunLocalExitsWithTheSeedsCodeForItsOverallStatus()
            throws Exception
    {
        Path config = folder.resolve("hyperops.json");
        Files.writeString(config, """
                { "engine": { "libvirt_uri": "test:///default", "data_dir": "%s", "control_socket": "%s" } }
                """.formatted(folder.resolve("data"), folder.resolve("control.sock")));
        Installation.Result result = Installation.hyperops("run-job", "health", "--local", "--config", config.toString());
        Installation.Result status = Installation.run(List.of("jq", "-r", ".overall_status", folder.resolve("data/health-status.json").toString()));

        assertThat(status.exitCode()).as(status.toString()).isZero();
        int expected = switch (status.out().trim()) {
            case "OK" -> 0;
            case "WARN" -> 1;
            case "ERROR" -> 2;
            default -> throw new AssertionError("overall_status " + status.out());
        };
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(expected);
    }

    @Test
    void metricsRunsOnTheEmbeddedTestDriver()
            throws Exception
    {
        Path config = folder.resolve("hyperops.json");
        Files.writeString(config, """
                { "engine": { "libvirt_uri": "test:///default", "data_dir": "%s" } }
                """.formatted(folder.resolve("data")));
        Installation.Result result = Installation.hyperops("run-job", "metrics", "--config", config.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        // libvirt's test driver holds one running domain named "test".
        assertThat(result.out()).contains("VMs: 1, 1 running, 0 stopped");
        assertThat(folder.resolve("data/logs/hyperops.log")).exists();
    }
}
