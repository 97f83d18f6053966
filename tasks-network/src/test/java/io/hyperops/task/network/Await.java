package io.hyperops.task.network;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a condition or a line of output, failing the test at the time-out instead of hanging. */
final class Await
{
    private Await() {}

    interface Condition
    {
        boolean holds()
                throws Exception;
    }

    static void until(Condition condition, Duration timeout)
            throws Exception
    {
        Instant giveUp = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Everything read until a line containing {@code marker}. */
    static String line(InputStream input, String marker, Duration timeout)
            throws Exception
    {
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    seen.append(line).append('\n');
                    if (line.contains(marker)) {
                        return seen.toString();
                    }
                }
            }
            catch (IOException e) {
                seen.append(e);
            }
            throw new AssertionError("no line with '" + marker + "' in:\n" + seen);
        });
        try {
            return reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            throw new AssertionError("no line with '" + marker + "' within " + timeout.toSeconds() + " s", e);
        }
    }
}
