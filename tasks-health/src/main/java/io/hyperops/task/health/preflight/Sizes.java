package io.hyperops.task.health.preflight;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as the seed's command line took them: {@code 20G}, {@code 512M}, {@code 1T}; a bare number is GB. */
final class Sizes
{
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    static long parseBytes(String text)
    {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 20G, 512M or 1T");
        }
        long value = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "T" -> 40;
            default -> 30;
        };
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return value << shift;
    }
}
