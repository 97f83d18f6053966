package io.hyperops.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a generous limit passes; no fixed sleeps in tests. */
public final class Await
{
    private Await() {}

    public static void until(String what, BooleanSupplier condition)
    {
        until(what, Duration.ofSeconds(30), condition);
    }

    public static void until(String what, Duration limit, BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(25);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
