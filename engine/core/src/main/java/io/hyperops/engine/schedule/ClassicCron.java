package io.hyperops.engine.schedule;

import io.hyperops.engine.text.Suggestions;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Translates a classic five-field cron line ({@code m h dom mon dow}) into Quartz cron. Minute, hour,
 * day of month and month mean the same in both and pass through; Quartz then checks them.
 */
final class ClassicCron
{
    static final String EXAMPLE = "e.g. '0 2 * * *' (02:00 daily) or '0 22 * * 1-5' (22:00 Monday to Friday)";

    private static final Pattern DAY_OF_WEEK_ITEM = Pattern.compile(
            "(?<start>\\*|\\d+|[A-Za-z]+)(?:-(?<end>\\d+|[A-Za-z]+))?(?:/(?<step>\\d+))?");

    // crontab(5) macros, with what to write instead; @weekly is Sunday there but Monday in systemd's "weekly".
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "'0 0 1 1 *' or 'yearly'",
            "@annually", "'0 0 1 1 *' or 'yearly'",
            "@monthly", "'0 0 1 * *' or 'monthly'",
            "@weekly", "'0 0 * * 0' (Sunday) or 'weekly' (Monday)",
            "@daily", "'0 0 * * *' or 'daily'",
            "@midnight", "'0 0 * * *' or 'daily'",
            "@hourly", "'0 * * * *' or 'hourly'");

    private final String expression;

    ClassicCron(String expression)
    {
        this.expression = requireNonNull(expression, "expression is null");
    }

    String toQuartz(String[] fields)
    {
        String dayOfMonth = fields[2];
        String dayOfWeek = fields[4];
        boolean anyDayOfMonth = isAny(dayOfMonth);
        boolean anyDayOfWeek = isAny(dayOfWeek);
        if (!anyDayOfMonth && !anyDayOfWeek) {
            // cron fires when either day field matches; Quartz has no way to say "or" across the two.
            throw new ScheduleFormatException(expression, "day of month (" + dayOfMonth + ") and day of week (" + dayOfWeek
                    + ") are both set, which cron reads as either and Quartz cannot express; set one to '*', e.g. '"
                    + String.join(" ", fields[0], fields[1], dayOfMonth, fields[3], "*") + "' or '"
                    + String.join(" ", fields[0], fields[1], "*", fields[3], dayOfWeek) + "'");
        }
        String quartzDayOfMonth = anyDayOfWeek ? (anyDayOfMonth ? "*" : dayOfMonth) : "?";
        String quartzDayOfWeek = anyDayOfWeek ? "?" : Weekdays.toQuartz(daysOfWeek(dayOfWeek));
        return String.join(" ", "0", fields[0], fields[1], quartzDayOfMonth, fields[3], quartzDayOfWeek);
    }

    /** crontab's {@code @daily} and friends are not accepted; the message says what to write instead. */
    static ScheduleFormatException unsupportedMacro(String expression, String macro)
    {
        if (macro.equalsIgnoreCase("@reboot")) {
            return new ScheduleFormatException(expression, "'@reboot' is not a schedule; set run_after_start (e.g. 5min) on the job instead");
        }
        String replacement = MACROS.get(macro.toLowerCase(Locale.ROOT));
        if (replacement == null) {
            return new ScheduleFormatException(expression, "crontab macros are not supported; " + Schedule.FORMS);
        }
        return new ScheduleFormatException(expression, "crontab macros are not supported; write " + replacement);
    }

    private static boolean isAny(String field)
    {
        return field.equals("*") || field.equals("?");
    }

    private Set<DayOfWeek> daysOfWeek(String field)
    {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : field.split(",", -1)) {
            Matcher matcher = DAY_OF_WEEK_ITEM.matcher(item);
            if (!matcher.matches()) {
                throw invalidDayOfWeek(field, "cannot read '" + item + "'");
            }
            String startText = matcher.group("start");
            String endText = matcher.group("end");
            String stepText = matcher.group("step");
            boolean star = startText.equals("*");
            if (star && endText != null) {
                throw invalidDayOfWeek(field, "cannot read '" + item + "'");
            }
            int start = star ? 0 : cronDay(field, startText);
            int end;
            if (endText != null) {
                end = cronDay(field, endText);
            }
            else if (star || stepText != null) {
                // "*/2" and "1/2" run to the end of the week, as in Quartz.
                end = Math.max(start, 6);
            }
            else {
                end = start;
            }
            // A step of a week or more leaves only the first day; capping it keeps huge numbers from overflowing.
            int step = stepText == null ? 1 : stepText.length() > 2 ? 7 : Integer.parseInt(stepText);
            if (step < 1) {
                throw invalidDayOfWeek(field, "step 0 in '" + item + "'");
            }
            if (end < start) {
                throw invalidDayOfWeek(field, "range '" + item + "' runs backwards");
            }
            for (int day = start; day <= end; day += step) {
                days.add(day % 7 == 0 ? DayOfWeek.SUNDAY : DayOfWeek.of(day % 7));
            }
        }
        return days;
    }

    /** cron's day number, 0 to 7 with both 0 and 7 Sunday; names map to 0 (SUN) to 6 (SAT). */
    private int cronDay(String field, String value)
    {
        if (Character.isDigit(value.charAt(0))) {
            int day = value.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(value);
            if (day > 7) {
                throw invalidDayOfWeek(field, "day " + value + " is out of range 0-7");
            }
            return day;
        }
        Optional<DayOfWeek> day = Weekdays.byName(value);
        if (day.isEmpty()) {
            String suggestion = Suggestions.closest(value, Weekdays.fullNames())
                    .map(name -> " (did you mean '" + name.substring(0, 3).toUpperCase(Locale.ROOT) + "'?)")
                    .orElse("");
            throw invalidDayOfWeek(field, "unknown day '" + value + "'" + suggestion);
        }
        return day.get().getValue() % 7;
    }

    private ScheduleFormatException invalidDayOfWeek(String field, String problem)
    {
        return new ScheduleFormatException(expression, "day of week '" + field + "': " + problem
                + "; use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'");
    }
}
