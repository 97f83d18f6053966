package io.hyperops.engine.schedule;

import io.hyperops.engine.text.Suggestions;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Translates a systemd calendar expression (systemd.time(7)), {@code [weekdays] [date] [time]}, into
 * Quartz cron. What Quartz cannot express is refused rather than approximated: a job must not fire on
 * other days than systemd would have fired it.
 */
final class SystemdCalendar
{
    static final String EXAMPLE = "e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'";

    // systemd.time(7) defines each shorthand as a full expression; translating that keeps one code path.
    private static final Map<String, String> SHORTHANDS = Map.of(
            "minutely", "*-*-* *:*:00",
            "hourly", "*-*-* *:00:00",
            "daily", "*-*-* 00:00:00",
            "weekly", "Mon *-*-* 00:00:00",
            "monthly", "*-*-01 00:00:00",
            "quarterly", "*-01,04,07,10-01 00:00:00",
            "semiannually", "*-01,07-01 00:00:00",
            "yearly", "*-01-01 00:00:00",
            "annually", "*-01-01 00:00:00");

    private static final CalendarField YEAR = new CalendarField("year", 1970, 2099);
    private static final CalendarField MONTH = new CalendarField("month", 1, 12);
    private static final CalendarField DAY = new CalendarField("day", 1, 31);
    private static final CalendarField HOUR = new CalendarField("hour", 0, 23);
    private static final CalendarField MINUTE = new CalendarField("minute", 0, 59);
    private static final CalendarField SECOND = new CalendarField("second", 0, 59);

    private final String expression;
    private final ZoneId zone;

    SystemdCalendar(String expression, ZoneId zone)
    {
        this.expression = requireNonNull(expression, "expression is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    String toQuartz(String[] parts)
    {
        if (parts.length == 1) {
            String expansion = SHORTHANDS.get(parts[0].toLowerCase(Locale.ROOT));
            if (expansion != null) {
                return toQuartz(expansion.split(" "));
            }
        }
        rejectTimeZone(parts);
        if (parts.length > 3) {
            throw new ScheduleFormatException(expression, parts.length + " fields, but classic cron has 5, Quartz cron 6 or 7"
                    + " and a calendar expression at most 3 (weekdays, date, time); " + Schedule.FORMS);
        }
        int next = 0;
        Optional<Set<DayOfWeek>> weekdays = Optional.empty();
        if (Character.isLetter(parts[0].charAt(0))) {
            weekdays = Optional.of(weekdays(parts[0], parts.length == 1));
            next++;
        }
        String date = "*-*-*";
        if (next < parts.length && !parts[next].contains(":") && (parts[next].contains("-") || parts[next].contains("~"))) {
            date = parts[next++];
        }
        String time = "00:00:00";
        if (next < parts.length && parts[next].contains(":")) {
            time = parts[next++];
        }
        if (next < parts.length) {
            throw fail("cannot read '" + parts[next] + "': write weekdays, date and time in that order, each optional");
        }
        QuartzDate quartzDate = date(date);
        QuartzTime quartzTime = time(time);
        if (weekdays.isPresent() && !quartzDate.day().equals("*")) {
            // systemd wants both to match; Quartz refuses a day of month together with a day of week.
            throw fail("weekdays (" + parts[0] + ") together with a day of month cannot be expressed in Quartz;"
                    + " give one of them");
        }
        String quartz = String.join(" ", quartzTime.second(), quartzTime.minute(), quartzTime.hour(),
                weekdays.isPresent() ? "?" : quartzDate.day(),
                quartzDate.month(),
                weekdays.map(Weekdays::toQuartz).orElse("?"));
        // Quartz's optional seventh field is the year; leaving it out means every year.
        return quartzDate.year().equals("*") ? quartz : quartz + " " + quartzDate.year();
    }

    private void rejectTimeZone(String[] parts)
    {
        String last = parts[parts.length - 1];
        if (parts.length < 2 || !Character.isLetter(last.charAt(0))) {
            return;
        }
        try {
            ZoneId.of(last);
        }
        catch (DateTimeException notAZone) {
            return;
        }
        throw new ScheduleFormatException(expression, "a time zone inside the expression ('" + last + "') is not supported;"
                + " schedules run in the configured zone (" + zone.getId() + "), so write '"
                + String.join(" ", Arrays.copyOf(parts, parts.length - 1)) + "'");
    }

    private Set<DayOfWeek> weekdays(String text, boolean alone)
    {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",", -1)) {
            String[] range = item.split("\\.\\.", -1);
            if (range.length > 2) {
                throw fail("cannot read weekdays '" + item + "'");
            }
            DayOfWeek first = weekday(range[0], alone);
            DayOfWeek last = range.length == 2 ? weekday(range[1], alone) : first;
            if (last.compareTo(first) < 0) {
                throw fail("weekday range '" + item + "' runs backwards; the week starts on Monday, so split it: '"
                        + rangeText(range[0], first, DayOfWeek.SUNDAY) + "," + rangeText("Mon", DayOfWeek.MONDAY, last) + "'");
            }
            days.addAll(EnumSet.range(first, last));
        }
        return days;
    }

    private static String rangeText(String firstName, DayOfWeek first, DayOfWeek last)
    {
        return first == last ? Weekdays.shortName(last) : firstName + ".." + Weekdays.shortName(last);
    }

    private DayOfWeek weekday(String name, boolean alone)
    {
        Optional<DayOfWeek> day = Weekdays.byName(name);
        if (day.isPresent()) {
            return day.get();
        }
        if (name.contains("-")) {
            throw new ScheduleFormatException(expression, "weekday ranges are written with '..': '"
                    + name.replace("-", "..") + "', not '" + name + "'");
        }
        if (alone) {
            // A single unknown word is most likely a misspelled shorthand.
            List<String> words = new ArrayList<>(new TreeSet<>(SHORTHANDS.keySet()));
            words.add("manual");
            words.addAll(Weekdays.fullNames());
            throw new ScheduleFormatException(expression, Suggestions.closest(name, words)
                    .map(word -> "did you mean '" + word + "'? ")
                    .orElse("not a shorthand, weekday, date or time. ") + Schedule.FORMS);
        }
        throw fail("unknown weekday '" + name + "'" + Suggestions.closest(name, Weekdays.fullNames())
                .map(word -> " (did you mean '" + word + "'?)")
                .orElse(""));
    }

    /** Year, month and day of {@code YYYY-MM-DD} or {@code MM-DD}; {@code MM~DD} counts days from the month's end. */
    private QuartzDate date(String text)
    {
        int tilde = text.indexOf('~');
        String[] parts = (tilde < 0 ? text : text.substring(0, tilde) + "-").split("-", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw fail("cannot read date '" + text + "': write YYYY-MM-DD or MM-DD");
        }
        String year = parts.length == 3 ? parts[0] : "*";
        String month = parts[parts.length - 2];
        String day = tilde < 0 ? field(DAY, parts[parts.length - 1]) : daysFromEnd(text.substring(tilde + 1));
        return new QuartzDate(field(YEAR, year), field(MONTH, month), day);
    }

    private String daysFromEnd(String text)
    {
        int fromEnd = text.matches("\\d{1,2}") ? Integer.parseInt(text) : 0;
        // Counting back further than 28 days would miss February.
        if (fromEnd < 1 || fromEnd > 28) {
            throw fail("'~" + text + "': after '~' give one day counted from the end of the month, 1 to 28, e.g. '*-*~01' for the last day");
        }
        return fromEnd == 1 ? "L" : "L-" + (fromEnd - 1);
    }

    /** Hour, minute and second of {@code HH:MM} or {@code HH:MM:SS}. */
    private QuartzTime time(String text)
    {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw fail("cannot read time '" + text + "': write HH:MM or HH:MM:SS");
        }
        String second = parts.length == 3 ? parts[2] : "00";
        if (second.contains(".")) {
            throw fail("fractions of a second ('" + second + "') are not supported");
        }
        return new QuartzTime(field(HOUR, parts[0]), field(MINUTE, parts[1]), field(SECOND, second));
    }

    private String field(CalendarField field, String text)
    {
        return field.toQuartz(expression, text);
    }

    private ScheduleFormatException fail(String problem)
    {
        return new ScheduleFormatException(expression, problem + "; " + EXAMPLE);
    }

    /** The date's fields, already in Quartz's syntax. */
    private record QuartzDate(String year, String month, String day) {}

    /** The time's fields, already in Quartz's syntax. */
    private record QuartzTime(String hour, String minute, String second) {}
}
