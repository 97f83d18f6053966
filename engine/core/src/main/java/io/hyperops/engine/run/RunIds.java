package io.hyperops.engine.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids such as {@code metrics-20261126-153012-a1b2}: job, UTC start, and a random tail for uniqueness. */
final class RunIds
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {}

    static String next(String job, Instant start)
    {
        byte[] tail = new byte[2];
        ThreadLocalRandom.current().nextBytes(tail);
        return job + "-" + STAMP.format(start) + "-" + HexFormat.of().formatHex(tail);
    }
}
