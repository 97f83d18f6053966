package io.hyperops.engine.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One numeric part of a systemd calendar expression (year, month, day, hour, minute or second): {@code *},
 * or a comma list of values, {@code a..b} ranges and {@code a/step} or {@code a..b/step} repetitions.
 */
record CalendarField(String name, int min, int max)
{
    private static final Pattern ITEM = Pattern.compile("(?<start>\\*|\\d+)(?:\\.\\.(?<end>\\d+))?(?:/(?<step>\\d+))?");

    CalendarField
    {
        requireNonNull(name, "name is null");
    }

    /** The same values in Quartz's syntax, which differs in writing ranges with '-' and dropping leading zeros. */
    String toQuartz(String expression, String text)
    {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            Matcher matcher = ITEM.matcher(item);
            if (!matcher.matches() || (matcher.group("start").equals("*") && matcher.group("end") != null)) {
                throw fail(expression, "cannot read " + name + " '" + text + "': use numbers, lists (0,6,12),"
                        + " ranges (1..5) or repetitions (0/15)");
            }
            String step = matcher.group("step") == null ? "" : "/" + positive(expression, matcher.group("step"));
            if (matcher.group("start").equals("*")) {
                if (step.isEmpty()) {
                    return "*";
                }
                items.add(min + step);
                continue;
            }
            int start = value(expression, matcher.group("start"));
            if (matcher.group("end") == null) {
                items.add(start + step);
                continue;
            }
            int end = value(expression, matcher.group("end"));
            if (end < start) {
                throw fail(expression, name + " range '" + item + "' runs backwards");
            }
            items.add(start + "-" + end + step);
        }
        return String.join(",", items);
    }

    private int value(String expression, String digits)
    {
        // More digits than any field needs would overflow int; they are out of range either way.
        int value = digits.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (value < min || value > max) {
            throw fail(expression, name + " " + digits + " is out of range " + min + ".." + max);
        }
        return value;
    }

    private int positive(String expression, String digits)
    {
        int step = digits.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (step < 1 || step > max) {
            throw fail(expression, name + " repetition /" + digits + " must be 1.." + max);
        }
        return step;
    }

    private static ScheduleFormatException fail(String expression, String problem)
    {
        return new ScheduleFormatException(expression, problem + "; " + SystemdCalendar.EXAMPLE);
    }
}
