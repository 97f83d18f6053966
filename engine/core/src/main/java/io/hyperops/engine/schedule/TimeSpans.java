package io.hyperops.engine.schedule;

import io.hyperops.engine.text.Suggestions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

/**
 * Time spans as systemd writes them (systemd.time(7)): {@code 90s}, {@code 30min}, {@code 1h 30min},
 * {@code 7d}, {@code 500ms}, a bare number meaning seconds; and ISO-8601 ({@code PT30M}).
 */
public final class TimeSpans
{
    private static final String FORMS = "Forms: 90s, 30min, 1h 30min, 7d, 2w, 500ms, PT30M";

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final long SECONDS_PER_DAY = 86_400;

    // systemd's units, case-sensitive as there: "m" is a minute and "M" a month. A month and a year are
    // systemd's averages, 30.44 and 365.25 days.
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.ofEntries(
            entry("ns", nanos(1)), entry("nsec", nanos(1)),
            entry("us", nanos(1_000)), entry("usec", nanos(1_000)), entry("\u00b5s", nanos(1_000)), entry("\u03bcs", nanos(1_000)),
            entry("ms", nanos(1_000_000)), entry("msec", nanos(1_000_000)),
            entry("s", seconds(1)), entry("sec", seconds(1)), entry("second", seconds(1)), entry("seconds", seconds(1)),
            entry("m", seconds(60)), entry("min", seconds(60)), entry("minute", seconds(60)), entry("minutes", seconds(60)),
            entry("h", seconds(3_600)), entry("hr", seconds(3_600)), entry("hour", seconds(3_600)), entry("hours", seconds(3_600)),
            entry("d", seconds(86_400)), entry("day", seconds(86_400)), entry("days", seconds(86_400)),
            entry("w", seconds(604_800)), entry("week", seconds(604_800)), entry("weeks", seconds(604_800)),
            entry("M", seconds(2_629_800)), entry("month", seconds(2_629_800)), entry("months", seconds(2_629_800)),
            entry("y", seconds(31_557_600)), entry("year", seconds(31_557_600)), entry("years", seconds(31_557_600)));

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern COMPONENT = Pattern.compile("\\s*(?<number>\\d+(?:\\.\\d+)?)\\s*(?<unit>[^\\d\\s.]*)");

    private TimeSpans() {}

    /**
     * Reads a time span.
     *
     * @throws TimeSpanFormatException with a one-line message naming the problem and valid forms
     */
    public static Duration parse(String text)
    {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new TimeSpanFormatException(text, "the time span is empty; " + FORMS);
        }
        if (trimmed.startsWith("-")) {
            throw new TimeSpanFormatException(text, "negative time spans are not allowed; " + FORMS);
        }
        if (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p') {
            return iso(text, trimmed);
        }
        if (NUMBER.matcher(trimmed).matches()) {
            return toDuration(text, new BigDecimal(trimmed).multiply(NANOS_PER_SECOND));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher matcher = COMPONENT.matcher(trimmed);
        int position = 0;
        while (position < trimmed.length()) {
            if (!matcher.region(position, trimmed.length()).lookingAt()) {
                throw new TimeSpanFormatException(text, "cannot read '" + trimmed.substring(position).strip() + "'; " + FORMS);
            }
            String unit = matcher.group("unit");
            BigDecimal perUnit = NANOS_PER_UNIT.get(unit);
            if (perUnit == null) {
                throw new TimeSpanFormatException(text, unknownUnit(matcher.group("number"), unit));
            }
            nanos = nanos.add(new BigDecimal(matcher.group("number")).multiply(perUnit));
            position = matcher.end();
        }
        return toDuration(text, nanos);
    }

    /** The shortest systemd form, in units from days down to nanoseconds: {@code 7d}, {@code 1h 30min}, {@code 0s}. */
    public static String format(Duration span)
    {
        requireNonNull(span, "span is null");
        if (span.isNegative()) {
            throw new IllegalArgumentException("negative time span: " + span);
        }
        if (span.isZero()) {
            return "0s";
        }
        // Days are the largest unit: retention and timeouts read naturally in days, weeks and months do not.
        long seconds = span.getSeconds();
        long nanos = span.getNano();
        List<String> parts = new ArrayList<>();
        add(parts, seconds / SECONDS_PER_DAY, "d");
        add(parts, seconds % SECONDS_PER_DAY / 3_600, "h");
        add(parts, seconds % 3_600 / 60, "min");
        add(parts, seconds % 60, "s");
        add(parts, nanos / 1_000_000, "ms");
        add(parts, nanos % 1_000_000 / 1_000, "us");
        add(parts, nanos % 1_000, "ns");
        return String.join(" ", parts);
    }

    private static void add(List<String> parts, long amount, String unit)
    {
        if (amount > 0) {
            parts.add(amount + unit);
        }
    }

    private static Duration iso(String text, String trimmed)
    {
        Duration span;
        try {
            span = Duration.parse(trimmed);
        }
        catch (DateTimeParseException unreadable) {
            throw new TimeSpanFormatException(text, "cannot read it as ISO-8601, e.g. PT30M, PT1H30M, P7D; " + FORMS);
        }
        if (span.isNegative()) {
            throw new TimeSpanFormatException(text, "negative time spans are not allowed; " + FORMS);
        }
        return span;
    }

    private static String unknownUnit(String number, String unit)
    {
        if (unit.isEmpty()) {
            return "'" + number + "' has no unit; a bare number is seconds only when it stands alone; " + FORMS;
        }
        return "unknown unit '" + unit + "'" + Suggestions.closest(unit, NANOS_PER_UNIT.keySet().stream().sorted().toList())
                .map(known -> ", did you mean '" + known + "'?")
                .orElse(";") + " " + FORMS;
    }

    private static Duration toDuration(String text, BigDecimal nanos)
    {
        BigInteger wholeNanos;
        try {
            wholeNanos = nanos.toBigIntegerExact();
        }
        catch (ArithmeticException finerThanNanos) {
            throw new TimeSpanFormatException(text, "it is finer than a nanosecond; " + FORMS);
        }
        BigInteger[] secondsAndNanos = wholeNanos.divideAndRemainder(NANOS_PER_SECOND.toBigInteger());
        if (secondsAndNanos[0].bitLength() >= Long.SIZE) {
            throw new TimeSpanFormatException(text, "it is too long; " + FORMS);
        }
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    private static BigDecimal nanos(long nanos)
    {
        return BigDecimal.valueOf(nanos);
    }

    private static BigDecimal seconds(long seconds)
    {
        return BigDecimal.valueOf(seconds).multiply(NANOS_PER_SECOND);
    }
}
