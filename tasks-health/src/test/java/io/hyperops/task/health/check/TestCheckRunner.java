package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.health.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

final class TestCheckRunner
{
    @Test
    void aHungCheckCostsOnlyItsOwnTimeout()
            throws Exception
    {
        AtomicReference<Thread> slowThread = new AtomicReference<>();
        List<HealthCheck> checks = List.of(
                // far longer than any slowness of the machine: a run that waited for it would take a minute
                new HealthCheck("hangs", () -> {
                    Thread.sleep(60_000);
                    return CheckResult.ok("never");
                }),
                new HealthCheck("slow", () -> {
                    slowThread.set(Thread.currentThread());
                    Thread.sleep(300);
                    return CheckResult.ok("took 300 ms");
                }),
                new HealthCheck("fails", () -> {
                    throw new IllegalStateException("no such file");
                }));
        Map<String, Duration> timeouts = Map.of("hangs", Duration.ofMillis(1500));

        long start = System.nanoTime();
        FutureTask<List<CheckOutcome>> run = new FutureTask<>(() -> CheckRunner.runAll(checks, name -> timeouts.getOrDefault(name, Duration.ofSeconds(10))));
        new Thread(run).start();
        // the slow check is timed on its own thread: its duration ends before that thread does, whenever the run collects it
        Await.until("the slow check to start", Duration.ofSeconds(30), () -> slowThread.get() != null);
        slowThread.get().join();
        long slowGone = System.nanoTime();
        List<CheckOutcome> outcomes = run.get();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // cut at its own 1.5 s, not after its 60 s sleep
        assertThat(millis).isBetween(1500L, 30_000L);
        assertThat(outcomes).extracting(CheckOutcome::name).containsExactly("hangs", "slow", "fails");
        assertThat(outcomes.get(0).status()).isEqualTo(CheckStatus.WARN);
        assertThat(outcomes.get(0).message()).isEqualTo("timed out after 1.5 s");
        assertThat(outcomes.get(0).hint()).hasValueSatisfying(hint -> assertThat(hint).endsWith("raise check_timeouts.hangs"));
        assertThat(outcomes.get(1).status()).isEqualTo(CheckStatus.OK);
        assertThat(outcomes.get(1).duration()).isBetween(Duration.ofMillis(300), Duration.ofNanos(slowGone - start));
        assertThat(outcomes.get(2).status()).isEqualTo(CheckStatus.WARN);
        assertThat(outcomes.get(2).message()).isEqualTo("check failed: no such file");
    }

    @Test
    void checksRunInParallel()
            throws Exception
    {
        // each check waits for all the others: the barrier opens only if all 20 run at once, however slow the machine
        CyclicBarrier all = new CyclicBarrier(20);
        List<HealthCheck> checks = java.util.stream.IntStream.range(0, 20)
                .mapToObj(index -> new HealthCheck("check_" + index, () -> {
                    all.await(30, TimeUnit.SECONDS);
                    return CheckResult.info("met the others");
                }))
                .toList();

        List<CheckOutcome> outcomes = CheckRunner.runAll(checks, name -> Duration.ofSeconds(60));

        assertThat(outcomes).hasSize(20).allSatisfy(outcome -> assertThat(outcome.message()).isEqualTo("met the others"));
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
