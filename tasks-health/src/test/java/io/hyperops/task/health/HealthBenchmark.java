package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.health.recovery.Coverage;
import io.hyperops.task.health.recovery.RecoveryService;
import io.hyperops.task.health.recovery.VmRecoverySettings;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;
import io.hyperops.testing.TestingSettings;
import io.hyperops.testing.TestingStateStore;import io.hyperops.testing.TestingTextFiles;
import org.libvirt.Connect;
import org.libvirt.Domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * Benchmarks of the health task, run by {@code scripts/bench-health.sh} (not a JUnit test):
 * <ul>
 *   <li>{@code recovery N}: time from {@code kill -9} of a real guest's QEMU to the guest running again, N crashes;
 *   <li>{@code health N}: wall time of a full health run on this host (real /proc, /sys, /etc, qemu:///system), N runs;
 *   <li>{@code scale G}: health, metrics and a recovery sweep over G guests defined on libvirt's test driver.
 * </ul>
 */
public final class HealthBenchmark
{
    private HealthBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        String mode = arguments.length > 0 ? arguments[0] : "";
        int count = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 20;
        switch (mode) {
            case "recovery" -> recovery(count);
            case "health" -> health(count);
            case "scale" -> scale(count);
            default -> {
                System.err.println("usage: HealthBenchmark recovery|health|scale COUNT");
                System.exit(64);
            }
        }
    }

    private static void recovery(int crashes)
            throws Exception
    {
        try (TestingGuests guests = TestingGuests.connect(); SystemLibvirtConnection libvirt = new SystemLibvirtConnection()) {
            TestingGuests.Guest guest = guests.createRunning("bench-recovery");
            RecoveryService service = new RecoveryService(libvirt, new TestingAuditLog());
            // no crash-loop limit here: the point is the latency of each restart
            VmRecoverySettings settings = new VmRecoverySettings(Coverage.LIST, List.of(guest.name()), 1_000_000, Duration.ofSeconds(1), null, true);
            TestingStateStore state = new TestingStateStore();
            service.ensureListening(settings, state, Clock.systemUTC());
            List<Long> millis = new ArrayList<>();
            for (int crash = 0; crash < crashes; crash++) {
                long pid = guests.qemuPid(guest);
                long start = System.nanoTime();
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                while (!runningAgain(guests, guest, pid)) {
                    Thread.sleep(5);
                    if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                        throw new IllegalStateException("guest did not come back within 60 s after crash " + (crash + 1));
                    }
                }
                millis.add((System.nanoTime() - start) / 1_000_000);
                // let the guest settle before the next crash
                Thread.sleep(500);
            }
            service.stopListening();
            System.out.println(summary("recovery: kill -9 to running again, " + crashes + " crashes", millis));
        }
    }

    private static boolean runningAgain(TestingGuests guests, TestingGuests.Guest guest, long oldPid)
    {
        try {
            Domain domain = guests.domain(guest);
            try {
                return domain.isActive() == 1 && guests.qemuPid(guest) != oldPid;
            }
            finally {
                domain.free();
            }
        }
        catch (Exception e) {
            return false;
        }
    }

    private static void health(int runs)
            throws Exception
    {
        Path data = Files.createTempDirectory("hyperops-bench-health");
        HostPaths paths = new HostPaths(data, data.resolve("hyperops"), data.resolve("logs"));
        try (SystemLibvirtConnection libvirt = new SystemLibvirtConnection()) {
            List<Long> millis = new ArrayList<>();
            RunOutcome outcome = RunOutcome.SUCCESS;
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                JobResult result = healthJob(HostFiles.host(), paths, libvirt).run(new TestingRunContext("health", HealthSettings.defaults(), Clock.systemDefaultZone()));
                millis.add((System.nanoTime() - start) / 1_000_000);
                outcome = result.outcome();
                if (run == 0) {
                    System.out.println("first run: " + result.summary());
                }
            }
            System.out.println(summary("health: full run on this host (qemu:///system), " + runs + " runs, outcome " + outcome.jsonName(), millis));
        }
    }

    private static void scale(int guestCount)
            throws Exception
    {
        // test:///default is one host per process while a connection is open: define the guests on it
        Connect owner = new Connect(TestingLibvirtConnection.TEST_DRIVER);
        try {
            for (int index = 0; index < guestCount; index++) {
                Domain domain = owner.domainDefineXML("""
                        <domain type='test'><name>bench-%d</name><memory>65536</memory><vcpu>1</vcpu>
                        <os><type>hvm</type></os>
                        <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/hypervisor/disks/bench-%d.qcow2'/><target dev='vda' bus='virtio'/></disk></devices>
                        </domain>""".formatted(index, index));
                if (index % 2 == 0) {
                    domain.create();
                }
                domain.free();
            }
            LibvirtConnection libvirt = TestingLibvirtConnection.testDriver();
            Path data = Files.createTempDirectory("hyperops-bench-scale");
            HostPaths paths = new HostPaths(data, data.resolve("hyperops"), data.resolve("logs"));
            Path root = Files.createTempDirectory("hyperops-bench-root");
            HostFiles host = TestingHost.create(root);
            int total = guestCount + 1;

            HealthSettings settings = TestingSettings.of(HealthSettings.class, "reachabilityTargets", List.of("127.0.0.1"), "disabledChecks", List.of("dns"));
            long healthMillis = best(5, () -> healthJob(host, paths, libvirt).run(new TestingRunContext("health", settings, Clock.systemDefaultZone())));
            MetricsCollector collector = new MetricsCollector(new ProcFiles(root.resolve("proc")), paths, libvirt);
            long metricsMillis = best(5, () -> collector.collect(java.time.OffsetDateTime.now()));
            RecoveryService service = new RecoveryService(libvirt, new TestingAuditLog());
            VmRecoverySettings all = new VmRecoverySettings(Coverage.ALL, null, null, null, null, false);
            TestingStateStore state = new TestingStateStore();
            long sweepMillis = best(5, () -> service.sweep(all, state, Clock.systemUTC()));
            System.out.printf(Locale.ROOT, "scale: %d guests on test:///default (best of 5)%n", total);
            System.out.printf(Locale.ROOT, "  health run     %6d ms  (%.3f ms per guest)%n", healthMillis, healthMillis / (double) total);
            System.out.printf(Locale.ROOT, "  metrics        %6d ms  (%.3f ms per guest)%n", metricsMillis, metricsMillis / (double) total);
            System.out.printf(Locale.ROOT, "  recovery sweep %6d ms  (%.3f ms per guest)%n", sweepMillis, sweepMillis / (double) total);
        }
        finally {
            owner.close();
        }
    }

    private static HealthJob healthJob(HostFiles host, HostPaths paths, LibvirtConnection libvirt)
    {
        TestingJsonFiles json = new TestingJsonFiles();
        HealthChecks checks = new HealthChecks(host, paths, json, libvirt, new TestingJobHistory(), new ProcessCommandRunner(), new BackupCatalog(paths, json, Optional.empty()), TestingEngineFacts.defaults(), new TestingJobAccess());
        return new HealthJob(new HealthService(checks, host, paths, json, new TestingTextFiles()));
    }

    private interface Work
    {
        Object run()
                throws Exception;
    }

    private static long best(int times, Work work)
            throws Exception
    {
        long best = Long.MAX_VALUE;
        for (int time = 0; time < times; time++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
        }
        return best;
    }

    private static String summary(String title, List<Long> millis)
    {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = sorted.get((sorted.size() - 1) / 2);
        long p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        return String.format(Locale.ROOT, "%s: median %d ms, p95 %d ms, min %d ms, max %d ms; all: %s", title, median, p95, sorted.get(0), sorted.get(sorted.size() - 1), millis);
    }
}
