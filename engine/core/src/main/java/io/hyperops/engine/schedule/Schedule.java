package io.hyperops.engine.schedule;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

import static java.util.Objects.requireNonNull;

/**
 * When a job fires, as the operator wrote it in the config file, in a time zone.
 *
 * <p>Accepted forms, all translated to one Quartz cron expression so that what the engine schedules
 * in Quartz and what {@code forecast} shows are computed by the same code ({@link CronExpression}):
 * <ul>
 *   <li>Quartz cron with 6 or 7 fields: {@code 0 0 2 * * ?};</li>
 *   <li>classic cron with 5 fields, {@code m h dom mon dow}: {@code 0 2 * * *}, {@code 0 22 * * 1-5}; day of
 *       week 0-7 with 0 and 7 Sunday, or names; day of month and day of week cannot both be set, as cron
 *       would fire when either matches and Quartz cannot say "or";</li>
 *   <li>systemd calendar expressions: the shorthands {@code minutely}, {@code hourly}, {@code daily},
 *       {@code weekly} (Monday 00:00), {@code monthly}, {@code quarterly}, {@code semiannually},
 *       {@code yearly} and {@code annually}, and {@code [weekdays] [YYYY-MM-DD] [HH:MM[:SS]]} with
 *       {@code *}, lists, {@code ..} ranges and {@code /} repetitions: {@code 02:00}, {@code Mon..Fri 22:00},
 *       {@code *-*-01 03:30}, {@code *-*-* 00,06,12,18:00:00}; weekdays together with a day of month are
 *       refused, as Quartz cannot combine them;</li>
 *   <li>{@code manual}: never fires on its own; the job runs only when asked.</li>
 * </ul>
 *
 * <h2>Daylight saving time</h2>
 * Quartz matches the fields against the wall clock of {@link #zone()} and moves from one fire to the
 * next in wall-clock time. Observed with Quartz 2.5.2 in Europe/Berlin:
 * <ul>
 *   <li>Spring forward (2026-03-29, 02:00 CET becomes 03:00 CEST): local times from 02:00 to 02:59 do not
 *       exist that day, and a fire set for them is skipped, not moved: {@code 02:00} and {@code 02:30}
 *       fire on 2026-03-28 and next on 2026-03-30, not on 2026-03-29. {@code hourly} goes from 01:00+01:00
 *       to 03:00+02:00, one real hour. Times outside the gap, such as {@code daily} (00:00) and
 *       {@code *-*-* 00,06,12,18:00:00}, keep their wall-clock time and change offset.</li>
 *   <li>Fall back (2026-10-25, 03:00 CEST becomes 02:00 CET): local times from 02:00 to 02:59 happen twice,
 *       and Quartz fires only in the second pass, in standard time: {@code 02:00} fires once, at
 *       02:00+01:00 (01:00 UTC), an hour later in real time than the first 02:00. In the first pass
 *       (02:00 to 02:59 at +02:00) nothing fires at all, so {@code hourly} goes from 01:00+02:00 to
 *       02:00+01:00, two real hours apart, and anything more frequent has a one-hour hole. Counting
 *       from an instant inside the first pass, wall times already passed in it are not fired again in
 *       the second pass: from 02:30+02:00 the next {@code 02:00} is the next day's.</li>
 * </ul>
 * The scheduler makes up for a fire skipped in the spring-forward gap by firing once at the gap's end
 * ({@link #nextSkippedFire}), as systemd's timers do; the doubled wall time of the fall-back is left as
 * Quartz has it (one fire, in the second pass).
 */
public final class Schedule
{
    static final String FORMS = "Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual";

    private static final String MANUAL = "manual";

    private final String expression;
    private final ZoneId zone;
    private final Optional<String> quartzCron;
    // Read-only after construction: getNextValidTimeAfter makes its own Calendar, so sharing is safe.
    private final Optional<CronExpression> cron;

    private Schedule(String expression, ZoneId zone, Optional<String> quartzCron, Optional<CronExpression> cron)
    {
        this.expression = requireNonNull(expression, "expression is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.quartzCron = requireNonNull(quartzCron, "quartzCron is null");
        this.cron = requireNonNull(cron, "cron is null");
    }

    /**
     * Reads a schedule as an operator writes it.
     *
     * @throws ScheduleFormatException with a one-line message naming the problem and a valid form
     */
    public static Schedule parse(String expression, ZoneId zone)
    {
        requireNonNull(expression, "expression is null");
        requireNonNull(zone, "zone is null");
        String text = expression.trim();
        if (text.equalsIgnoreCase(MANUAL)) {
            return new Schedule(expression, zone, Optional.empty(), Optional.empty());
        }
        if (text.isEmpty()) {
            throw new ScheduleFormatException(expression, "the schedule is empty; " + FORMS);
        }
        if (text.startsWith("@")) {
            throw ClassicCron.unsupportedMacro(expression, text);
        }
        String[] fields = text.split("\\s+");
        String quartz;
        String example;
        switch (fields.length) {
            case 5 -> {
                quartz = new ClassicCron(expression).toQuartz(fields);
                example = ClassicCron.EXAMPLE;
            }
            case 6, 7 -> {
                quartz = quartzCron(expression, fields);
                example = "e.g. '0 0 2 * * ?' (02:00 daily) or '0 0 22 ? * MON-FRI'";
            }
            default -> {
                quartz = new SystemdCalendar(expression, zone).toQuartz(fields);
                example = SystemdCalendar.EXAMPLE;
            }
        }
        CronExpression cron = compile(expression, quartz, example, zone);
        return new Schedule(expression, zone, Optional.of(quartz), Optional.of(cron));
    }

    /** The schedule as written in the config file. */
    public String expression()
    {
        return expression;
    }

    public ZoneId zone()
    {
        return zone;
    }

    /** What to hand Quartz, together with {@link #zone()}; empty for {@code manual}. */
    public Optional<String> quartzCron()
    {
        return quartzCron;
    }

    public boolean isManual()
    {
        return cron.isEmpty();
    }

    /** The first fire strictly after {@code after}; empty for {@code manual} and once a dated schedule has passed. */
    public Optional<ZonedDateTime> nextFireAfter(Instant after)
    {
        requireNonNull(after, "after is null");
        return cron.map(expression -> expression.getNextValidTimeAfter(Date.from(after)))
                .map(fire -> ZonedDateTime.ofInstant(fire.toInstant(), zone));
    }

    /**
     * Up to {@code count} fires after {@code after}, each counted from the one before, as Quartz's cron
     * trigger does; fewer when the schedule ends, none for {@code manual}.
     */
    public List<ZonedDateTime> nextFires(Instant after, int count)
    {
        requireNonNull(after, "after is null");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<ZonedDateTime> fires = new ArrayList<>();
        Optional<ZonedDateTime> next = nextFireAfter(after);
        while (next.isPresent() && fires.size() < count) {
            fires.add(next.get());
            next = nextFireAfter(next.get().toInstant());
        }
        return List.copyOf(fires);
    }

    /**
     * The next moment the clock springs forward over a wall time this schedule fires at, within about a
     * year: the end of the gap, where the skipped fire is made up for. Quartz skips such a fire (see the
     * class comment), so {@code 02:00} in Europe/Berlin would miss a day a year; systemd's timers, which
     * the seed used, fire right after the gap instead. Empty when the next regular fire comes at the gap's
     * end anyway (as {@code hourly}'s does) or no gap holds a fire.
     */
    public Optional<Instant> nextSkippedFire(Instant after)
    {
        requireNonNull(after, "after is null");
        if (quartzCron.isEmpty()) {
            return Optional.empty();
        }
        // The same fields read in UTC, which has no gaps: fires at wall times, to compare with the gap's.
        CronExpression wallClock;
        try {
            wallClock = new CronExpression(quartzCron.get());
        }
        catch (ParseException e) {
            throw new IllegalStateException("a parsed schedule no longer parses: " + quartzCron.get(), e);
        }
        wallClock.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
        ZoneRules rules = zone.getRules();
        Instant horizon = after.plus(Duration.ofDays(400));
        for (ZoneOffsetTransition transition = rules.nextTransition(after); transition != null && transition.getInstant().isBefore(horizon);
                transition = rules.nextTransition(transition.getInstant())) {
            if (!transition.isGap()) {
                continue;
            }
            Date wallFire = wallClock.getNextValidTimeAfter(Date.from(transition.getDateTimeBefore().toInstant(ZoneOffset.UTC).minusMillis(1)));
            boolean firesInGap = wallFire != null && wallFire.toInstant().isBefore(transition.getDateTimeAfter().toInstant(ZoneOffset.UTC));
            Instant gapEnd = transition.getInstant();
            boolean firesAtGapEnd = nextFireAfter(gapEnd.minusMillis(1)).map(fire -> fire.toInstant().equals(gapEnd)).orElse(false);
            if (firesInGap && !firesAtGapEnd) {
                return Optional.of(gapEnd);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString()
    {
        return expression + " (" + zone.getId() + ")";
    }

    private static String quartzCron(String expression, String[] fields)
    {
        String dayOfMonth = fields[3];
        String dayOfWeek = fields[5];
        if (!dayOfMonth.equals("?") && !dayOfWeek.equals("?")) {
            String[] fixed = fields.clone();
            if (dayOfWeek.equals("*")) {
                fixed[5] = "?";
            }
            else {
                fixed[3] = "?";
            }
            throw new ScheduleFormatException(expression, "Quartz cron needs '?' in day of month or day of week,"
                    + " as it cannot combine them; e.g. '" + String.join(" ", fixed) + "'");
        }
        return String.join(" ", fields);
    }

    private static CronExpression compile(String expression, String quartz, String example, ZoneId zone)
    {
        CronExpression cron;
        try {
            cron = new CronExpression(quartz);
        }
        catch (ParseException rejected) {
            // Quartz's messages end in a full stop some of the time; ours goes on after it.
            String reason = rejected.getMessage().strip().replaceAll("\\.$", "");
            throw new ScheduleFormatException(expression, "Quartz rejects '" + quartz + "': " + reason + "; " + example);
        }
        cron.setTimeZone(TimeZone.getTimeZone(zone));
        Date firstFire;
        try {
            firstFire = cron.getNextValidTimeAfter(Date.from(Instant.EPOCH));
        }
        catch (RuntimeException broken) {
            // Quartz accepts a few malformed fields (such as 'L' in the month) and fails only when computing;
            // finding out here keeps that failure out of the running scheduler.
            throw new ScheduleFormatException(expression, "Quartz accepts '" + quartz + "' but cannot compute fire times"
                    + " for it; " + example);
        }
        if (firstFire == null) {
            throw new ScheduleFormatException(expression, "it never fires: no date matches (such as 30 February)"
                    + " or its year is beyond what Quartz computes; " + example);
        }
        return cron;
    }
}
