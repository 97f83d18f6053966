package io.hyperops.task.health;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition a real daemon reaches in its own time. */
public final class Await
{
    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
