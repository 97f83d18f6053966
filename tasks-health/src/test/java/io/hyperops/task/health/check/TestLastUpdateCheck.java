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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Health reports what the update task left in update-status.json, as the update issue asks. */
final class TestLastUpdateCheck
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void noUpdateYetIsInformation()
    {
        assertThat(check().lastUpdate().status()).isEqualTo(CheckStatus.INFO);
    }

    @Test
    void anAutomaticRollbackIsAWarning()
            throws Exception
    {
        writeLastUpdate("rolled-back", "2026-11-26T10:00:00Z");

        CheckResult result = check().lastUpdate();
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.message()).contains("update update-1 was rolled back: health gate failed");
        assertThat(result.hint().orElseThrow()).contains("see why with: hyperops update history");
    }

    @Test
    void aFailedRollbackAndAnUpdateCutOffAreErrors()
            throws Exception
    {
        writeLastUpdate("rollback-failed", "2026-11-26T10:00:00Z");
        assertThat(check().lastUpdate().status()).isEqualTo(CheckStatus.ERROR);

        writeLastUpdate("applying", "2026-11-26T11:30:00Z");
        assertThat(check().lastUpdate().status()).as("still within two hours").isEqualTo(CheckStatus.INFO);

        writeLastUpdate("applying", "2026-11-26T08:00:00Z");
        assertThat(check().lastUpdate().status()).isEqualTo(CheckStatus.ERROR);
        assertThat(check().lastUpdate().hint().orElseThrow()).contains("hyperops update rollback");
    }

    @Test
    void anAppliedUpdateIsFine()
            throws Exception
    {
        writeLastUpdate("applied", "2026-11-26T10:00:00Z");
        assertThat(check().lastUpdate().status()).isEqualTo(CheckStatus.OK);
    }

    private ConfigChecks check()
    {
        HostPaths paths = new HostPaths(folder, folder.resolve("hyperops"), folder.resolve("logs"));
        return new ConfigChecks(new HostFiles(folder.resolve("root")), paths, new TestingJsonFiles(), new TestingJobHistory(), HealthSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), List::of);
    }

    private void writeLastUpdate(String outcome, String started)
            throws Exception
    {
        Files.writeString(folder.resolve("update-status.json"), """
                { "schema_version": 1, "last_check": "2026-11-26T09:00:00Z", "updates_available": false,
                  "last_update": { "run_id": "update-1", "action": "apply", "started": "%s", "outcome": "%s", "summary": "health gate failed" } }
                """.formatted(started, outcome));
    }
}
