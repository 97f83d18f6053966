package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

final class TestCheckRunner
{
    @Test
    void aHungCheckCostsOnlyItsOwnTimeout()
            throws Exception
    {
        CountDownLatch never = new CountDownLatch(1);
        List<HealthCheck> checks = List.of(
                new HealthCheck("hangs", () -> {
                    never.await();
                    return CheckResult.ok("never");
                }),
                new HealthCheck("slow", () -> {
                    Thread.sleep(300);
                    return CheckResult.ok("took 300 ms");
                }),
                new HealthCheck("fails", () -> {
                    throw new IllegalStateException("no such file");
                }));
        Map<String, Duration> timeouts = Map.of("hangs", Duration.ofMillis(1500));

        long start = System.nanoTime();
        List<CheckOutcome> outcomes = CheckRunner.runAll(checks, name -> timeouts.getOrDefault(name, Duration.ofSeconds(10)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(millis).isBetween(1500L, 2200L);
        assertThat(outcomes).extracting(CheckOutcome::name).containsExactly("hangs", "slow", "fails");
        assertThat(outcomes.get(0).status()).isEqualTo(CheckStatus.WARN);
        assertThat(outcomes.get(0).message()).isEqualTo("timed out after 1.5 s");
        assertThat(outcomes.get(0).hint()).hasValueSatisfying(hint -> assertThat(hint).endsWith("raise check_timeouts.hangs"));
        assertThat(outcomes.get(1).status()).isEqualTo(CheckStatus.OK);
        assertThat(outcomes.get(1).duration()).isBetween(Duration.ofMillis(300), Duration.ofMillis(1000));
        assertThat(outcomes.get(2).status()).isEqualTo(CheckStatus.WARN);
        assertThat(outcomes.get(2).message()).isEqualTo("check failed: no such file");
    }

    @Test
    void checksRunInParallel()
            throws Exception
    {
        List<HealthCheck> checks = java.util.stream.IntStream.range(0, 20)
                .mapToObj(index -> new HealthCheck("check_" + index, () -> {
                    Thread.sleep(200);
                    return CheckResult.info("slept");
                }))
                .toList();

        long start = System.nanoTime();
        CheckRunner.runAll(checks, name -> Duration.ofSeconds(5));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    }

    @Test
    void recognizesOverlayNames()
    {
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/var/lib/hypervisor/disks/web.qcow2.hyperops-overlay"), false)).isTrue();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/web.1718000000"), true)).isTrue();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/web-snapshot.qcow2"), true)).isTrue();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/web.snap"), true)).isTrue();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/web.snap"), false)).isFalse();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/web.qcow2"), true)).isFalse();
        assertThat(GuestChecks.isOverlay(java.nio.file.Path.of("/disks/snapshot-server.qcow2"), true)).isFalse();
    }
}
