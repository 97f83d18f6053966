package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.health.MetricsSnapshot.Cpu;
import io.hyperops.task.health.MetricsSnapshot.Disk;
import io.hyperops.task.health.MetricsSnapshot.Memory;
import io.hyperops.task.health.MetricsSnapshot.Vms;
import io.hyperops.testing.TestingJsonFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

final class TestMetricsStore
{
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    // 14:00:00 in Berlin
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(7));

    @TempDir
    Path folder;

    private MetricsStore store;

    @BeforeEach
    void setUp()
    {
        store = new MetricsStore(new HostPaths(folder, folder.resolve("state"), folder.resolve("logs")), new TestingJsonFiles());
    }

    @Test
    void namesFilesInTheGivenZone()
    {
        Path file = store.write(NOW.atZone(ZONE), snapshot());

        assertThat(file).isEqualTo(folder.resolve("metrics-20250601-140000.json"));
        assertThat(file).isRegularFile();
    }

    @Test
    void theHourSummerTimeRepeatsGetsNamesOfItsOwnAndLosesNothing()
    {
        // 2025-10-26 in Berlin: 02:00 CEST becomes 02:00 CET again, so 02:30 happens twice an hour apart
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZonedDateTime first = ZonedDateTime.of(2025, 10, 26, 2, 30, 0, 0, berlin).withEarlierOffsetAtOverlap();
        ZonedDateTime again = first.withLaterOffsetAtOverlap();

        Path earlier = store.write(first, snapshot());
        Path later = store.write(again, snapshot());

        assertThat(earlier).isEqualTo(folder.resolve("metrics-20251026-023000.json"));
        assertThat(later).isEqualTo(folder.resolve("metrics-20251026-023000-2.json"));
        assertThat(earlier).isRegularFile();
        assertThat(later).isRegularFile();
        // both are read as that local time, and retention goes by it
        assertThat(MetricsStore.timeOf(later, berlin)).isPresent();
    }

    @Test
    void readsTheTimeFromTheName()
    {
        assertThat(MetricsStore.timeOf(Path.of("metrics-20250601-140000.json"), ZONE)).contains(NOW);
        assertThat(MetricsStore.timeOf(Path.of("/var/lib/hypervisor/metrics-20250525-140000.json"), ZONE)).contains(CUTOFF);
        assertThat(MetricsStore.timeOf(Path.of("metrics-20250601-140000.json"), ZoneId.of("UTC"))).contains(Instant.parse("2025-06-01T14:00:00Z"));
    }

    @Test
    void ignoresNamesOutsideThePattern()
    {
        for (String name : List.of(
                "metrics-latest.json",
                "metrics-20250601.json",
                "metrics-20250601-1400.json",
                "metrics-20250601-140000.json.tmp",
                "metrics-20251301-140000.json",
                "metrics-20250230-140000.json",
                "metrics-20250601-250000.json",
                "old-metrics-20200101-000000.json",
                "health-status.json")) {
            assertThat(MetricsStore.timeOf(Path.of(name), ZONE)).as(name).isEmpty();
        }
    }

    @Test
    void deletesFilesNamedBeforeTheCutoff()
            throws IOException
    {
        List<String> expired = List.of(
                name(CUTOFF.minusSeconds(1)),
                name(CUTOFF.minus(Duration.ofDays(1))),
                name(CUTOFF.minus(Duration.ofDays(400))));
        List<String> kept = List.of(
                name(CUTOFF),
                name(CUTOFF.plusSeconds(1)),
                name(NOW.minus(Duration.ofHours(1))),
                name(NOW),
                name(NOW.plus(Duration.ofDays(1))),
                "metrics-latest.json",
                "metrics-20250230-000000.json",
                "health-status.json",
                "backup-20200101-000000.json");
        for (String name : Stream.concat(expired.stream(), kept.stream()).toList()) {
            Files.writeString(folder.resolve(name), "{}");
        }

        MetricsStore.Removal removal = store.deleteOlderThan(CUTOFF, ZONE);

        assertThat(removal.removed()).map(file -> file.getFileName().toString()).containsExactlyInAnyOrderElementsOf(expired);
        assertThat(removal.failures()).isEmpty();
        assertThat(fileNames()).containsExactlyInAnyOrderElementsOf(kept);
    }

    @Test
    void ignoresModificationTimes()
            throws IOException
    {
        Path copiedToday = Files.writeString(folder.resolve(name(CUTOFF.minus(Duration.ofDays(2)))), "{}");
        Path touchedLongAgo = Files.writeString(folder.resolve(name(NOW)), "{}");
        Files.setLastModifiedTime(touchedLongAgo, FileTime.from(NOW.minus(Duration.ofDays(365))));

        MetricsStore.Removal removal = store.deleteOlderThan(CUTOFF, ZONE);

        assertThat(removal.removed()).containsExactly(copiedToday);
        assertThat(touchedLongAgo).exists();
    }

    @Test
    void reportsWhatItCannotDelete()
            throws IOException
    {
        Path folderWithMetricsName = Files.createDirectory(folder.resolve(name(CUTOFF.minus(Duration.ofDays(30)))));
        Files.writeString(folderWithMetricsName.resolve("notes.txt"), "kept by hand");
        Path expired = Files.writeString(folder.resolve(name(CUTOFF.minus(Duration.ofDays(31)))), "{}");

        MetricsStore.Removal removal = store.deleteOlderThan(CUTOFF, ZONE);

        assertThat(removal.removed()).containsExactly(expired);
        assertThat(removal.failures()).containsExactly("cannot delete " + folderWithMetricsName + ": DirectoryNotEmptyException");
        assertThat(folderWithMetricsName.resolve("notes.txt")).exists();
    }

    private List<String> fileNames()
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static String name(Instant time)
    {
        return "metrics-" + ZonedDateTime.ofInstant(time, ZONE).format(DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")) + ".json";
    }

    private static MetricsSnapshot snapshot()
    {
        return new MetricsSnapshot(
                "2025-06-01T14:00:00+02:00",
                "hv-test-01",
                new Cpu(4, List.of(0.52, 0.58, 0.61)),
                new Memory(15936, 9000, 6936),
                new Disk(100.0, 40.0, 55.0, 42.1),
                new Vms(1, 1, 0));
    }
}
