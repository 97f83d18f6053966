package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.TestingHost;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's thresholds, on a prepared host tree. */
final class TestHostChecks
{
    @TempDir
    Path folder;

    private Path root;
    private HostFiles host;
    private HostPaths paths;

    @BeforeEach
    void setUp()
            throws Exception
    {
        root = folder.resolve("root");
        host = TestingHost.create(root);
        paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
    }

    @Test
    void cpuCountFollowsTheThresholds()
            throws Exception
    {
        assertThat(checks(HealthSettings.defaults()).cpuCount().status()).isEqualTo(CheckStatus.OK);
        assertThat(checks(TestingSettings.of(HealthSettings.class, "cpuCountOk", 8)).cpuCount().status()).isEqualTo(CheckStatus.WARN);
        assertThat(checks(TestingSettings.of(HealthSettings.class, "cpuCountOk", 8, "cpuCountWarn", 6)).cpuCount())
                .satisfies(result -> {
                    assertThat(result.status()).isEqualTo(CheckStatus.ERROR);
                    assertThat(result.message()).isEqualTo("4 CPU(s), fewer than the minimum 6");
                });
    }

    @Test
    void memoryFollowsTheSeedsSteps()
            throws Exception
    {
        assertThat(checks(HealthSettings.defaults()).memoryTotal().message()).isEqualTo("16 GB (good)");
        TestingHost.write(root, "proc/meminfo", "MemTotal: 8388608 kB\nMemAvailable: 4000000 kB\nHugePages_Total: 0\n");
        assertThat(checks(HealthSettings.defaults()).memoryTotal().status()).isEqualTo(CheckStatus.WARN);
        TestingHost.write(root, "proc/meminfo", "MemTotal: 4194304 kB\nMemAvailable: 4000000 kB\nHugePages_Total: 0\n");
        assertThat(checks(HealthSettings.defaults()).memoryTotal().status()).isEqualTo(CheckStatus.ERROR);
        // "excellent" at 40 GB is the seed's word, but not above an operator's own threshold of 64
        TestingHost.write(root, "proc/meminfo", "MemTotal: 41943040 kB\nMemAvailable: 4000000 kB\nHugePages_Total: 0\n");
        assertThat(checks(HealthSettings.defaults()).memoryTotal().message()).isEqualTo("40 GB (excellent)");
        assertThat(checks(TestingSettings.of(HealthSettings.class, "memoryOkGb", 64)).memoryTotal().status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void cpuVirtualizationWithoutFlagsDependsOnKvm()
            throws Exception
    {
        TestingHost.write(root, "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme\n");
        assertThat(checks(HealthSettings.defaults()).cpuVirtualization().status()).isEqualTo(CheckStatus.INFO);
        Files.delete(root.resolve("dev/kvm"));
        assertThat(checks(HealthSettings.defaults()).cpuVirtualization().status()).isEqualTo(CheckStatus.ERROR);
    }

    @Test
    void tuningChecks()
            throws Exception
    {
        assertThat(checks(HealthSettings.defaults()).swappiness().status()).isEqualTo(CheckStatus.OK);
        TestingHost.write(root, "proc/sys/vm/swappiness", "60\n");
        assertThat(checks(HealthSettings.defaults()).swappiness().status()).isEqualTo(CheckStatus.INFO);
        TestingHost.write(root, "proc/sys/vm/swappiness", "80\n");
        assertThat(checks(HealthSettings.defaults()).swappiness().status()).isEqualTo(CheckStatus.WARN);
        TestingHost.write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
        assertThat(checks(HealthSettings.defaults()).cpuGovernor().status()).isEqualTo(CheckStatus.WARN);
        TestingHost.write(root, "sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
        assertThat(checks(HealthSettings.defaults()).transparentHugepages().message()).isEqualTo("transparent huge pages: never");
        assertThat(checks(HealthSettings.defaults()).hugepages().status()).isEqualTo(CheckStatus.INFO);
    }

    @Test
    void theDiskSpeedTestIsOffByDefault()
            throws Exception
    {
        assertThat(checks(HealthSettings.defaults()).diskSpeed().message()).isEqualTo("not measured (disk_speed_test is off)");
        Files.createDirectories(paths.dataDir());
        CheckResult measured = checks(TestingSettings.of(HealthSettings.class, "diskSpeedTest", true, "diskSpeedTestMb", 8)).diskSpeed();
        assertThat(measured.message()).matches("\\d+ MB/s write.*");
        assertThat(paths.dataDir().resolve(".hyperops-disk-speed-test")).doesNotExist();

        // what a run killed mid-test leaves, an hour ago: it must not fail every test after it
        Path leftover = Files.writeString(paths.dataDir().resolve(".hyperops-disk-speed-test"), "x");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(checks(TestingSettings.of(HealthSettings.class, "diskSpeedTest", true, "diskSpeedTestMb", 8)).diskSpeed().message()).matches("\\d+ MB/s write.*");
    }

    @Test
    void findsTheDefaultGatewayAndResolvers()
            throws Exception
    {
        NetworkChecks network = new NetworkChecks(host, HealthSettings.defaults());

        assertThat(network.defaultGateway()).hasValue("127.0.0.1");
        assertThat(network.resolvers()).containsExactly("127.0.0.1");
        TestingHost.write(root, "proc/net/route", "Iface\tDestination\tGateway \tFlags\nbr0\t00000000\t010200C0\t0003\n");
        assertThat(network.defaultGateway()).hasValue("192.0.2.1");
        assertThat(network.bridge().status()).isEqualTo(CheckStatus.OK);
        TestingHost.write(root, "sys/class/net/br0/operstate", "down\n");
        assertThat(network.bridge().message()).isEqualTo("bridge br0 is DOWN");
    }

    private HostChecks checks(HealthSettings settings)
    {
        return new HostChecks(host, paths, settings);
    }
}
