package io.hyperops.engine.schedule;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Weekday names as operators write them, and weekday sets as Quartz reads them. */
final class Weekdays
{
    // Quartz numbers the week from Sunday (SUN=1 .. SAT=7); runs are found in that order.
    private static final List<DayOfWeek> QUARTZ_ORDER = List.of(
            DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY);

    private Weekdays() {}

    /** {@code Mon} or {@code Monday}, in any case, as both systemd and cron accept. */
    static Optional<DayOfWeek> byName(String name)
    {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (name.equalsIgnoreCase(shortName(day)) || name.equalsIgnoreCase(fullName(day))) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }

    /** The full names, for suggestions. */
    static List<String> fullNames()
    {
        return QUARTZ_ORDER.stream().map(Weekdays::fullName).toList();
    }

    /** Quartz's day-of-week field: names, with three or more consecutive days as a range ({@code MON-FRI}). */
    static String toQuartz(Set<DayOfWeek> days)
    {
        List<String> parts = new ArrayList<>();
        int index = 0;
        while (index < QUARTZ_ORDER.size()) {
            if (!days.contains(QUARTZ_ORDER.get(index))) {
                index++;
                continue;
            }
            int end = index;
            while (end + 1 < QUARTZ_ORDER.size() && days.contains(QUARTZ_ORDER.get(end + 1))) {
                end++;
            }
            String first = quartzName(QUARTZ_ORDER.get(index));
            if (end - index >= 2) {
                parts.add(first + "-" + quartzName(QUARTZ_ORDER.get(end)));
            }
            else {
                for (int day = index; day <= end; day++) {
                    parts.add(quartzName(QUARTZ_ORDER.get(day)));
                }
            }
            index = end + 1;
        }
        return String.join(",", parts);
    }

    private static String quartzName(DayOfWeek day)
    {
        return day.name().substring(0, 3);
    }

    /** {@code Mon}; spelled out from the enum rather than a locale's display names, which vary with the JDK. */
    static String shortName(DayOfWeek day)
    {
        return fullName(day).substring(0, 3);
    }

    private static String fullName(DayOfWeek day)
    {
        return day.name().charAt(0) + day.name().substring(1).toLowerCase(Locale.ROOT);
    }
}
