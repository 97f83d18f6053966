package io.hyperops.task.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.RunOutcome;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;import io.hyperops.testing.TestingTextFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

final class TestMetricsJob
{
    // 14:00:00.750 in Berlin: the file is named in the host's zone, to the second
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00.750Z"), ZoneId.of("Europe/Berlin"));
    private static final String UNAVAILABLE = "libvirt at qemu:///system does not answer; start it with 'systemctl start libvirtd'";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path folder;

    private ProcFiles proc;
    private HostPaths paths;
    private Path dataDir;

    @BeforeEach
    void setUp()
            throws IOException
    {
        proc = new ProcFiles(TestingProc.create(folder.resolve("proc")));
        dataDir = folder.resolve("data");
        paths = new HostPaths(dataDir, folder.resolve("state"), folder.resolve("logs"));
    }

    @Test
    @Tag("libvirt")
    void writesTheSeedsFileAndFields()
            throws Exception
    {
        JobResult result = job(TestingLibvirtConnection.testDriver(), new TestingJsonFiles()).run(context(MetricsSettings.defaults()));

        Path file = dataDir.resolve("metrics-20250601-140000.json");
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(result.summary()).isEqualTo("wrote metrics-20250601-140000.json (VMs: 1, 1 running, 0 stopped); deleted 0 dated before 2025-05-25T14:00:00+02:00");
        assertThat(result.details()).isEqualTo(Map.of(
                "file", file.toString(),
                "removed", 0,
                "vms", Map.of("total", 1, "running", 1, "stopped", 0)));

        JsonNode json = MAPPER.readTree(file.toFile());
        assertThat(fieldNames(json)).containsExactly("timestamp", "hostname", "cpu", "memory", "disk", "vms");
        assertThat(json.get("timestamp").textValue()).isEqualTo("2025-06-01T14:00:00+02:00");
        assertThat(json.get("hostname").textValue()).isEqualTo("hv-test-01");
        assertThat(json.get("cpu")).isEqualTo(MAPPER.readTree("{\"total\": 4, \"load_avg\": [0.52, 0.58, 0.61]}"));
        assertThat(json.get("memory")).isEqualTo(MAPPER.readTree("{\"total_mb\": 15936, \"available_mb\": 9000, \"used_mb\": 6936}"));
        assertThat(json.get("vms")).isEqualTo(MAPPER.readTree("{\"total\": 1, \"running\": 1, \"stopped\": 0}"));
        JsonNode disk = json.get("disk");
        assertThat(fieldNames(disk)).containsExactly("total_gb", "used_gb", "available_gb", "used_percent");
        assertThat(disk).allSatisfy(value -> assertThat(value.isNumber()).isTrue());
    }

    @Test
    void writesHostFiguresAndWarnsWhenLibvirtIsUnavailable()
            throws Exception
    {
        JobResult result = job(TestingLibvirtConnection.unavailable(UNAVAILABLE), new TestingJsonFiles()).run(context(MetricsSettings.defaults()));

        Path file = dataDir.resolve("metrics-20250601-140000.json");
        assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.summary()).isEqualTo("wrote metrics-20250601-140000.json; deleted 0 dated before 2025-05-25T14:00:00+02:00; no VM counts: " + UNAVAILABLE);
        assertThat(result.details()).isEqualTo(Map.of(
                "file", file.toString(),
                "removed", 0,
                "libvirt_problem", UNAVAILABLE));

        JsonNode json = MAPPER.readTree(file.toFile());
        assertThat(fieldNames(json)).containsExactly("timestamp", "hostname", "cpu", "memory", "disk", "vms");
        assertThat(json.get("vms").isNull()).isTrue();
        assertThat(json.get("memory").get("total_mb").longValue()).isEqualTo(15936);
    }

    @Test
    void writesVmsAsNullEvenWhenTheEngineLeavesOutNulls()
            throws Exception
    {
        job(TestingLibvirtConnection.unavailable(UNAVAILABLE), new TestingJsonFiles(JsonInclude.Include.NON_NULL)).run(context(MetricsSettings.defaults()));

        JsonNode json = MAPPER.readTree(dataDir.resolve("metrics-20250601-140000.json").toFile());
        assertThat(json.has("vms")).isTrue();
        assertThat(json.get("vms").isNull()).isTrue();
    }

    @Test
    void deletesFilesOlderThanTheRetention()
            throws Exception
    {
        Files.createDirectories(dataDir);
        for (String name : List.of(
                "metrics-20250530-135959.json",
                "metrics-20250530-140000.json",
                "metrics-20250531-090000.json",
                "metrics-20250101-000000.json",
                "metrics-20250529-120000.json",
                "metrics-notes.json")) {
            Files.writeString(dataDir.resolve(name), "{}");
        }

        JobResult result = job(TestingLibvirtConnection.unavailable(UNAVAILABLE), new TestingJsonFiles()).run(context(new MetricsSettings(Duration.ofDays(2), false, null)));

        assertThat(result.details()).containsEntry("removed", 3);
        assertThat(result.summary()).contains("; deleted 3 dated before 2025-05-30T14:00:00+02:00;");
        assertThat(fileNames()).containsExactlyInAnyOrder(
                "metrics-20250530-140000.json",
                "metrics-20250531-090000.json",
                "metrics-20250601-140000.json",
                "metrics-notes.json");
    }

    @Test
    @Tag("libvirt")
    void warnsWhenAnOldFileCannotBeDeleted()
            throws Exception
    {
        Path stuck = Files.createDirectories(dataDir.resolve("metrics-20250101-000000.json"));
        Files.writeString(stuck.resolve("notes.txt"), "kept by hand");

        JobResult result = job(TestingLibvirtConnection.testDriver(), new TestingJsonFiles()).run(context(MetricsSettings.defaults()));

        String failure = "cannot delete " + stuck + ": DirectoryNotEmptyException";
        assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.summary()).endsWith("; " + failure);
        assertThat(result.details()).containsEntry("delete_failures", List.of(failure)).containsEntry("removed", 0);
    }

    @Test
    void writesThePrometheusTextFile()
            throws Exception
    {
        job(TestingLibvirtConnection.unavailable(UNAVAILABLE), new TestingJsonFiles()).run(context(MetricsSettings.defaults()));

        String text = Files.readString(dataDir.resolve("node-exporter/hyperops_metrics.prom"));
        assertThat(text).contains(
                "# TYPE hyperops_host_cpus gauge\nhyperops_host_cpus 4\n",
                "hyperops_host_load_average{period=\"1m\"} 0.52\n",
                "hyperops_host_memory_megabytes{kind=\"available\"} 9000\n",
                "hyperops_metrics_last_run_timestamp_seconds 1748779200\n");
        // without libvirt there are no VM counts rather than zeros
        assertThat(text).doesNotContain("hyperops_vms");
    }

    private MetricsJob job(LibvirtConnection libvirt, JsonFiles jsonFiles)
    {
        return new MetricsJob(new MetricsService(new MetricsCollector(proc, paths, libvirt), new MetricsStore(paths, jsonFiles), paths, new TestingTextFiles()));
    }

    private static TestingRunContext context(MetricsSettings settings)
    {
        return new TestingRunContext("metrics", settings, CLOCK);
    }

    private List<String> fileNames()
            throws IOException
    {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static List<String> fieldNames(JsonNode node)
    {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
