package io.hyperops.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Path gnupgHome = Files.createTempDirectory(Path.of("/tmp"), "hdist-gpg-");
        try {
            // a real key that can only sign: the wrong kind of key, as an operator might export by mistake
            gpg(gnupgHome, "--quick-gen-key", "signer <signer@hyperops.invalid>", "ed25519", "sign", "never");
            Path signOnly = folder.resolve("sign-only.asc");
            gpg(gnupgHome, "--armor", "--output", signOnly.toString(), "--export", "<signer@hyperops.invalid>");
            Path notAKey = Files.writeString(folder.resolve("not-a-key.asc"), "hello\n");

            for (Path key : List.of(folder.resolve("missing.asc"), notAKey, signOnly)) {
                Installation.Result result = configCheck("""
                        "encrypt": true,
                        "recipient_key_file": "%s"
                        """.formatted(key));

                assertThat(result.exitCode()).as(result.toString()).isEqualTo(78);
                // line 7 of the file is the recipient_key_file line
                assertThat(result.err()).as(result.toString()).contains(folder.resolve("hyperops.json") + ":7:")
                        .contains("jobs.backup.settings.recipient_key_file").contains(key.toString());
            }
            Installation.Result result = configCheck("""
                    "encrypt": true,
                    "gpg_home": "%s",
                    "gpg_recipients": ["ops@hyperops.invalid"]
                    """.formatted(gnupgHome));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(78);
            assertThat(result.err()).as(result.toString()).contains(folder.resolve("hyperops.json") + ":8:")
                    .contains("no public key 'ops@hyperops.invalid' in gpg_home " + gnupgHome);
        }
        finally {
            Installation.run(List.of("gpgconf", "--homedir", gnupgHome.toString(), "--kill", "gpg-agent"));
            Installation.run(List.of("rm", "-rf", gnupgHome.toString()));
        }
    }

    /** Runs {@code config check} on a file whose backup settings, from line 6 on, are {@code settings}. */
    private Installation.Result configCheck(String settings)
            throws Exception
    {
        Path config = folder.resolve("hyperops.json");
        Files.writeString(config, """
                {
                  "engine": { "libvirt_uri": "test:///default", "data_dir": "%s" },
                  "jobs": {
                    "backup": {
                      "settings": {
                %s
                      }
                    }
                  }
                }
                """.formatted(folder.resolve("data"), settings.strip().indent(8).stripTrailing()));
        return Installation.hyperops("config", "check", config.toString());
    }

    private static void gpg(Path home, String... arguments)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--homedir", home.toString(), "--pinentry-mode", "loopback", "--passphrase", ""));
        command.addAll(List.of(arguments));
        Installation.Result result = Installation.run(command);
        assertThat(result.exitCode()).as(result.toString()).isZero();
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
