package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.TestingJobHistory;
import io.hyperops.testing.TestingJsonFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The config file check: valid JSON, and in force, since an edit the engine refused leaves the one before in force. */
final class TestConfigFileCheck
{
    @TempDir
    Path folder;

    @Test
    void anEditTheEngineRefusedIsAWarningThatNamesTheFirstProblem()
            throws Exception
    {
        Path file = Files.createDirectories(folder.resolve("root/etc/hypervisor")).resolve("hyperops.json");
        Files.writeString(file, "{ \"jobs\": { \"update\": { \"settings\": { \"grace_period\": \"banana\" } } } }");

        CheckResult accepted = check(List.of()).configFile();
        CheckResult refused = check(List.of("/etc/hypervisor/hyperops.json:1:58: jobs.update.settings.grace_period: not a time span: 'banana'")).configFile();

        assertThat(accepted.status()).isEqualTo(CheckStatus.OK);
        assertThat(refused.status()).isEqualTo(CheckStatus.WARN);
        assertThat(refused.message()).contains("refused the last edit").contains("1 problem, first: /etc/hypervisor/hyperops.json:1:58")
                .contains("the config it accepted before is in force");
        assertThat(refused.hint().orElseThrow()).contains("hyperops config check");
    }

    private ConfigChecks check(List<String> refusedEdit)
    {
        HostPaths paths = new HostPaths(folder, folder.resolve("hyperops"), folder.resolve("logs"));
        return new ConfigChecks(new HostFiles(folder.resolve("root")), paths, new TestingJsonFiles(), new TestingJobHistory(), HealthSettings.defaults().withConfigFileOr(Path.of("/etc/hypervisor/hyperops.json")),
                Clock.systemUTC(), () -> refusedEdit);
    }
}
