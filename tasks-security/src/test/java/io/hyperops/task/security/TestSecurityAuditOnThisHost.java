package io.hyperops.task.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.task.security.check.LibvirtGuests;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;import io.hyperops.testing.TestingTextFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit of this very machine (root {@code /}, the real libvirtd): whatever the host's posture, every
 * check must run and say something a person can act on; none may fall over.
 */
@Tag("libvirt")
final class TestSecurityAuditOnThisHost
{
    @TempDir
    Path folder;

    @Test
    void everyCheckRunsOnARealHost()
            throws Exception
    {
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        TestingJsonFiles jsonFiles = new TestingJsonFiles();
        SecurityChecks checks = new SecurityChecks(paths, jsonFiles, new TestingJobHistory(),
                new LibvirtGuests(new TestingLibvirtConnection(TestingGuests.URI)), Optional.empty(), TestingEngineFacts.defaults());
        SecurityAuditSettings settings = SecurityAuditSettings.defaults();

        JobResult result = new SecurityAuditService(checks, paths, jsonFiles, new TestingTextFiles()).audit(settings, new TestingRunContext("security-audit", settings, Clock.systemUTC()));

        JsonNode status = new ObjectMapper().readTree(paths.dataDir().resolve("security-status.json").toFile());
        assertThat(status.path("findings")).hasSize(12);
        for (JsonNode finding : status.path("findings")) {
            assertThat(finding.path("evidence").asText()).as(finding.toString()).isNotBlank().doesNotStartWith("the check could not run");
            if (!finding.path("severity").asText().equals("OK") && !finding.path("severity").asText().equals("INFO")) {
                assertThat(finding.path("fix").asText()).as(finding.toString()).isNotBlank();
            }
        }
        assertThat(result.details()).containsEntry("score", status.path("score").asInt());
    }
}
