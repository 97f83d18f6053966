package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs checks in parallel, each on a thread of its own and each with its own time-out. A check that
 * hangs (a read on a dead NFS mount, a resolver that never answers) is reported as "timed out after N s"
 * once its own time-out has passed; the others are not held up by it. Its thread is interrupted and,
 * being a daemon thread, cannot keep the process alive if the call it hangs in ignores the interrupt.
 */
public final class CheckRunner
{
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private CheckRunner() {}

    public static List<CheckOutcome> runAll(List<HealthCheck> checks, Function<String, Duration> timeouts)
            throws InterruptedException
    {
        List<Running> running = new ArrayList<>();
        for (HealthCheck check : checks) {
            running.add(start(check, timeouts.apply(check.name())));
        }
        List<CheckOutcome> outcomes = new ArrayList<>();
        try {
            for (Running check : running) {
                outcomes.add(check.await());
            }
        }
        catch (InterruptedException e) {
            // the run was asked to stop: so are its checks
            running.forEach(check -> check.thread().interrupt());
            throw e;
        }
        return outcomes;
    }

    private static Running start(HealthCheck check, Duration timeout)
    {
        CompletableFuture<CheckOutcome> future = new CompletableFuture<>();
        long startNanos = System.nanoTime();
        // the run's tags go with the check, so what it logs lands in the run's log
        Map<String, String> tags = MDC.getCopyOfContextMap();
        Thread thread = new Thread(() -> {
            if (tags != null) {
                MDC.setContextMap(tags);
            }
            future.complete(runOne(check, startNanos));
        }, "hyperops-health-" + check.name());
        thread.setDaemon(true);
        thread.start();
        return new Running(check, timeout, startNanos, future, thread);
    }

    private static CheckOutcome runOne(HealthCheck check, long startNanos)
    {
        CheckResult result;
        try {
            result = check.probe().run();
        }
        catch (InterruptedException e) {
            result = CheckResult.warn("interrupted", "run the health job again");
        }
        catch (Exception | LinkageError e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // the hint sends the operator to the run's log: the cause must be there
            LOG.warn("Check {} failed: {}", check.name(), reason, e);
            result = CheckResult.warn("check failed: " + reason, "see the run's log for details");
        }
        return new CheckOutcome(check.name(), result.status(), result.message(), result.hint(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private record Running(HealthCheck check, Duration timeout, long startNanos, CompletableFuture<CheckOutcome> future, Thread thread)
    {
        CheckOutcome await()
                throws InterruptedException
        {
            long remaining = startNanos + timeout.toNanos() - System.nanoTime();
            try {
                return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException e) {
                thread.interrupt();
                return new CheckOutcome(
                        check.name(),
                        CheckStatus.WARN,
                        "timed out after " + seconds(timeout) + " s",
                        Optional.of("find what blocks it (a hung mount, an unreachable server) or raise check_timeouts." + check.name()),
                        Duration.ofNanos(System.nanoTime() - startNanos));
            }
            catch (ExecutionException e) {
                throw new IllegalStateException("check " + check.name() + " ended without a result", e.getCause());
            }
        }

        private static String seconds(Duration duration)
        {
            long millis = duration.toMillis();
            return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
        }
    }
}
