package io.hyperops.task.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.RunOutcome;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;
import io.hyperops.testing.TestingSettings;
import io.hyperops.testing.TestingTextFiles;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Runs the health job on a prepared healthy host tree against a given libvirt, for tests of other jobs' effects. */
public final class TestingHealthRun
{
    private TestingHealthRun() {}

    /** @param checks {@code health-status.json}'s {@code checks}, as read back from the file */
    public record Report(RunOutcome outcome, String summary, Map<String, Map<String, Object>> checks)
    {
        public Report
        {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(summary, "summary is null");
            requireNonNull(checks, "checks is null");
        }
    }

    @SuppressWarnings("unchecked")
    /** @param jobs where the checks find other jobs' state, such as vm-recovery's ledger */
    public static Report run(Path folder, HostPaths paths, LibvirtConnection libvirt, JobAccess jobs)
            throws Exception
    {
        HostFiles host = TestingHost.create(folder.resolve("host"));
        TestingJsonFiles json = new TestingJsonFiles();
        HealthChecks checks = new HealthChecks(host, paths, json, libvirt, new TestingJobHistory(), new TestingCommandRunner(), new BackupCatalog(paths, json, Optional.empty()), TestingEngineFacts.defaults(), jobs);
        HealthSettings settings = TestingSettings.of(HealthSettings.class,
                "reachabilityTargets", List.of("127.0.0.1"),
                "probeTimeout", Duration.ofMillis(300),
                "disabledChecks", List.of("dns"));
        JobResult result = new HealthJob(new HealthService(checks, host, paths, json, new TestingTextFiles())).run(new TestingRunContext("health", settings, Clock.systemDefaultZone()));
        Map<String, Object> status = new ObjectMapper().readValue(paths.dataDir().resolve(HealthService.STATUS_FILE).toFile(), Map.class);
        return new Report(result.outcome(), result.summary(), (Map<String, Map<String, Object>>) status.get("checks"));
    }
}
