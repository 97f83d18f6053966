package io.hyperops.task.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.RunOutcome;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;import io.hyperops.testing.TestingTextFiles;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The health job on a prepared host tree and libvirt's test driver: status file, text file, outcome. */
@Tag("libvirt")
final class TestHealthJob
{
    // 14:00 in Berlin
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneId.of("Europe/Berlin"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path folder;

    private Path root;
    private HostFiles host;
    private HostPaths paths;
    private TestingJsonFiles json;

    @BeforeEach
    void setUp()
            throws IOException
    {
        root = folder.resolve("root");
        host = TestingHost.create(root);
        paths = new HostPaths(folder.resolve("data"), folder.resolve("data/hyperops"), folder.resolve("data/logs"));
        json = new TestingJsonFiles();
        for (String dir : List.of("isos", "disks", "xml", "vm_profiles")) {
            Files.createDirectories(paths.dataDir().resolve(dir));
        }
        // test:///default has one guest, "test", backed up two hours ago
        Path backup = Files.createDirectories(paths.dataDir().resolve("backups/test/20250601-120000"));
        Files.writeString(backup.resolve(BackupCatalog.INFO_FILE), "{\"vm_name\": \"test\", \"timestamp\": \"20250601-120000\", \"vm_state\": \"running\"}");
    }

    @Test
    void aHealthyHostSucceedsAndWritesTheSeedsFields()
            throws Exception
    {
        JobResult result = run(healthy());

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(result.outcome().exitCode()).isZero();
        JsonNode status = jq(".");
        assertThat(fieldNames(status)).containsExactly("timestamp", "hostname", "overall_status", "critical_errors", "warnings", "checks");
        assertThat(status.get("timestamp").textValue()).isEqualTo("2025-06-01T14:00:00+02:00");
        assertThat(status.get("hostname").textValue()).isEqualTo("hv-test-01");
        assertThat(status.get("overall_status").textValue()).isEqualTo("OK");
        assertThat(status.get("critical_errors").intValue()).isZero();
        assertThat(status.get("warnings").intValue()).isZero();
        assertThat(fieldNames(status.get("checks"))).contains(
                "cpu_count", "cpu_virt", "memory_total", "memory_available", "disk_space", "dev_kvm", "iommu",
                "libvirtd", "libvirt_connection", "sshd", "auditd", "systemd_networkd", "network", "bridge", "firewall",
                "required_dirs", "storage_pool", "storage_pool_capacity", "disk_speed", "vm_count", "crashed_vms", "vm_resources",
                "apparmor", "ssh_password_auth", "ssh_root_login", "unencrypted_disks", "config_file", "pending_reboot",
                "hugepages", "cpu_governor", "swappiness", "transparent_hugepages",
                "backup_freshness", "backup_verify", "snapshot_overlays", "failed_jobs", "stale_state_files", "vm_recovery");
        JsonNode check = status.get("checks").get("cpu_count");
        assertThat(fieldNames(check)).containsExactly("status", "message", "hint", "duration_ms");
        assertThat(check.get("status").textValue()).isEqualTo("OK");
        assertThat(check.get("message").textValue()).isEqualTo("4 CPUs");
        assertThat(check.get("hint").isNull()).isTrue();
        assertThat(jq(".checks.vm_count.message").textValue()).isEqualTo("1 VMs defined, 1 running");
        assertThat(jq(".checks.backup_freshness.status").textValue()).isEqualTo("OK");
    }

    @Test
    void aWarningEndsTheRunInWarningWithExitCodeOne()
            throws Exception
    {
        Files.delete(root.resolve("proc/101/comm"));

        JobResult result = run(healthy());

        assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.outcome().exitCode()).isEqualTo(1);
        assertThat(result.summary()).startsWith("WARN: ").contains("0 error(s), 1 warning(s) (sshd)");
        assertThat(jq(".overall_status").textValue()).isEqualTo("WARN");
        assertThat(jq(".warnings").intValue()).isEqualTo(1);
        assertThat(jq(".checks.sshd.hint").textValue()).isEqualTo("start it: /usr/sbin/sshd");
    }

    @Test
    void anErrorFailsTheRunWithExitCodeTwo()
            throws Exception
    {
        Files.delete(root.resolve("dev/kvm"));

        JobResult result = run(healthy());

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.outcome().exitCode()).isEqualTo(2);
        assertThat(jq(".overall_status").textValue()).isEqualTo("ERROR");
        assertThat(jq(".critical_errors").intValue()).isEqualTo(1);
        assertThat(jq(".checks.dev_kvm.message").textValue()).isEqualTo("/dev/kvm does not exist");
    }

    @Test
    void messagesWithQuotesAndNewlinesStayValidJson()
            throws Exception
    {
        TestingHost.write(root, "etc/ssh/sshd_config", "PermitRootLogin \"yes\\\"\n");
        TestingHost.write(root, "etc/hypervisor/hyperops.json", "{\"jobs\": \n\t{\"health\": }\n");

        run(healthy());

        assertThat(jq(".checks.ssh_root_login.message").textValue()).isEqualTo("PermitRootLogin is \"yes\\\"");
        assertThat(jq(".checks.config_file.status").textValue()).isEqualTo("ERROR");
        assertThat(jq(".checks.config_file.message").textValue()).startsWith("/etc/hypervisor/hyperops.json is not valid JSON: ");
    }

    @Test
    void aHungCheckTimesOutWithoutHoldingUpTheRest()
            throws Exception
    {
        // a read of a FIFO nobody writes blocks in the kernel, as a read on a dead NFS mount does
        Path fifo = root.resolve("proc/sys/vm/swappiness");
        Files.delete(fifo);
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // the others' time-out far above any slowness of the machine: only the hung check may be cut
        HealthSettings settings = settings("checkTimeout", Duration.ofSeconds(60), "checkTimeouts", Map.of("swappiness", Duration.ofSeconds(1)));
        try {
            long start = System.nanoTime();
            JobResult result = run(settings);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            // cut at its own 1 s: neither the others' 60 s nor the read, which blocks until the finally below
            assertThat(millis).isBetween(1000L, 30_000L);
            assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
            assertThat(jq(".checks.swappiness.status").textValue()).isEqualTo("WARN");
            assertThat(jq(".checks.swappiness.message").textValue()).isEqualTo("timed out after 1 s");
            // timed to the cut, within the run
            assertThat(jq(".checks.swappiness.duration_ms").longValue()).isBetween(1000L, millis);
            // the others ran beside it: each answered on its own, none was cut or waited for
            assertThat(jq(".checks.cpu_count.message").textValue()).doesNotContain("timed out");
            assertThat(jq(".warnings").intValue()).isEqualTo(1);
        }
        finally {
            // let the stuck reader go
            Files.writeString(fifo, "10\n");
        }
    }

    @Test
    void writesThePrometheusTextFileAtomically()
            throws Exception
    {
        run(healthy());

        Path textFile = paths.dataDir().resolve("node-exporter/hyperops_health.prom");
        String text = Files.readString(textFile);
        assertThat(text).contains(
                "# TYPE hyperops_health_check_status gauge\n",
                "hyperops_health_check_status{check=\"cpu_count\"} 0\n",
                "hyperops_health_check_status{check=\"vm_count\"} 1\n",
                "hyperops_health_overall_status 0\n",
                "hyperops_health_critical_errors 0\n",
                "hyperops_health_last_run_timestamp_seconds 1748779200\n");
        try (var files = Files.list(textFile.getParent())) {
            assertThat(files.map(file -> file.getFileName().toString()).toList()).containsExactly("hyperops_health.prom");
        }
    }

    @Test
    void reportsUnknownCheckNames()
            throws Exception
    {
        JobResult result = run(settings("disabledChecks", List.of("sshd", "ssh_daemon")));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).startsWith("unknown check name(s) ssh_daemon in disabled_checks or check_timeouts; known: cpu_count, cpu_virt,");
    }

    @Test
    void leavesOutDisabledChecks()
            throws Exception
    {
        Files.delete(root.resolve("proc/101/comm"));

        JobResult result = run(settings("disabledChecks", List.of("sshd", "dns")));

        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(jq(".checks | has(\"sshd\")").booleanValue()).isFalse();
    }

    private HealthSettings healthy()
    {
        return settings();
    }

    /** Thresholds this machine meets whatever its disk, probes aimed at loopback. */
    private HealthSettings settings(Object... overrides)
    {
        List<Object> values = new ArrayList<>(List.of(
                "diskOkGb", 0, "diskErrorGb", 0,
                "reachabilityTargets", List.of("127.0.0.1"),
                "probeTimeout", Duration.ofMillis(300),
                "storagePool", "default-pool",
                "configFile", Path.of("/etc/hypervisor/hyperops.json")));
        values.addAll(List.of(overrides));
        // dns asks 127.0.0.1, where nothing answers on this machine: left out unless a test wants it
        if (!values.contains("disabledChecks")) {
            values.addAll(List.of("disabledChecks", List.of("dns")));
        }
        return TestingSettings.of(HealthSettings.class, values.toArray());
    }

    private JobResult run(HealthSettings settings)
            throws Exception
    {
        LibvirtConnection libvirt = TestingLibvirtConnection.testDriver();
        TestingCommandRunner commands = new TestingCommandRunner().answer(List.of("nft", "list", "ruleset"), 0, """
                table inet filter {
                	chain input {
                		type filter hook input priority filter; policy drop;
                		ct state established,related accept
                	}
                }
                """);
        TestingJobHistory history = new TestingJobHistory().job("metrics", RunOutcome.SUCCESS).job("health", RunOutcome.FAILED);
        HealthChecks checks = new HealthChecks(host, paths, json, libvirt, history, commands, new BackupCatalog(paths, json, Optional.empty()), TestingEngineFacts.defaults(), new TestingJobAccess());
        HealthJob job = new HealthJob(new HealthService(checks, host, paths, json, new TestingTextFiles()));
        return job.run(new TestingRunContext("health", settings, CLOCK));
    }

    /** Runs the real jq on health-status.json, as a script of the seed's users would. */
    private JsonNode jq(String filter)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder("jq", "-e", filter, paths.dataDir().resolve(HealthService.STATUS_FILE).toString()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exitCode = process.waitFor();
        // -e: 1 for false or null results, which some assertions expect; 2 and up are errors
        assertThat(exitCode).as("jq %s: %s", filter, errors).isLessThanOrEqualTo(1);
        return MAPPER.readTree(output);
    }

    private static List<String> fieldNames(JsonNode node)
    {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
