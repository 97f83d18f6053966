package io.hyperops.engine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

final class TestSchedule
{
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    // Noon on the Saturday before Europe/Berlin springs forward (Sunday 2026-03-29, 02:00 CET -> 03:00 CEST).
    private static final Instant BEFORE_SPRING_FORWARD = at("2026-03-28T12:00+01:00");
    // Noon on the Saturday before Europe/Berlin falls back (Sunday 2026-10-25, 03:00 CEST -> 02:00 CET).
    private static final Instant BEFORE_FALL_BACK = at("2026-10-24T12:00+02:00");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            minutely                 | 0 * * * * ?
            hourly                   | 0 0 * * * ?
            daily                    | 0 0 0 * * ?
            Daily                    | 0 0 0 * * ?
            weekly                   | 0 0 0 ? * MON
            monthly                  | 0 0 0 1 * ?
            quarterly                | 0 0 0 1 1,4,7,10 ?
            semiannually             | 0 0 0 1 1,7 ?
            yearly                   | 0 0 0 1 1 ?
            annually                 | 0 0 0 1 1 ?
            02:00                    | 0 0 2 * * ?
            2:30                     | 0 30 2 * * ?
            *-*-* 00,06,12,18:00:00  | 0 0 0,6,12,18 * * ?
            Mon..Fri 22:00           | 0 0 22 ? * MON-FRI
            Sat,Sun 10:00            | 0 0 10 ? * SUN,SAT
            Mon..Wed,Fri 08:15       | 0 15 8 ? * MON-WED,FRI
            monday,TUESDAY 08:15     | 0 15 8 ? * MON,TUE
            Fri                      | 0 0 0 ? * FRI
            *-*-01 03:30             | 0 30 3 1 * ?
            Sun *-*-* 04:00:00       | 0 0 4 ? * SUN
            *-*-1..7 05:00           | 0 0 5 1-7 * ?
            *-01,07-01               | 0 0 0 1 1,7 ?
            2026-12-24 18:00         | 0 0 18 24 12 ? 2026
            12-24 18:00              | 0 0 18 24 12 ?
            *-*~01 23:00             | 0 0 23 L * ?
            *-*~03                   | 0 0 0 L-2 * ?
            *:0/15                   | 0 0/15 * * * ?
            *:*/10                   | 0 0/10 * * * ?
            08..18/2:00              | 0 0 8-18/2 * * ?
            *-*-* *:*:0/20           | 0/20 * * * * ?
            0 2 * * *                | 0 0 2 * * ?
            */15 * * * *             | 0 */15 * * * ?
            30 4 1 * *               | 0 30 4 1 * ?
            30 4 1 * ?               | 0 30 4 1 * ?
            0 22 * * 1-5             | 0 0 22 ? * MON-FRI
            0 22 * * mon-fri         | 0 0 22 ? * MON-FRI
            0 6 * * 0                | 0 0 6 ? * SUN
            0 6 * * 7                | 0 0 6 ? * SUN
            0 6 * * 0,7              | 0 0 6 ? * SUN
            0 6 * * 5-7              | 0 0 6 ? * SUN,FRI,SAT
            0 6 * * 0-6              | 0 0 6 ? * SUN-SAT
            0 6 * * */2              | 0 0 6 ? * SUN,TUE,THU,SAT
            0 6 * * 1-5/2            | 0 0 6 ? * MON,WED,FRI
            0 6 * * 1/2              | 0 0 6 ? * MON,WED,FRI
            0 6 * * 1,FRI            | 0 0 6 ? * MON,FRI
            0 6 * * SUNDAY           | 0 0 6 ? * SUN
            0 0 1 JAN *              | 0 0 0 1 JAN ?
            0 0 2 * * ?              | 0 0 2 * * ?
            0   0  2 * *   ?         | 0 0 2 * * ?
            0 0 22 ? * MON-FRI       | 0 0 22 ? * MON-FRI
            0 0 2 * * ? 2026         | 0 0 2 * * ? 2026
            """)
    void translatesToQuartz(String expression, String quartzCron)
    {
        Schedule schedule = Schedule.parse(expression, BERLIN);

        assertThat(schedule.quartzCron()).contains(quartzCron);
        assertThat(schedule.isManual()).isFalse();
        assertThat(schedule.expression()).isEqualTo(expression);
        assertThat(schedule.zone()).isEqualTo(BERLIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void nextFires(String expression, Instant after, List<String> expected)
    {
        assertThat(fires(expression, after, expected.size())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> nextFires()
    {
        return Stream.of(
                arguments("minutely", BEFORE_SPRING_FORWARD, List.of("2026-03-28T12:01+01:00", "2026-03-28T12:02+01:00")),
                arguments("weekly", BEFORE_SPRING_FORWARD, List.of("2026-03-30T00:00+02:00", "2026-04-06T00:00+02:00")),
                arguments("monthly", BEFORE_SPRING_FORWARD, List.of("2026-04-01T00:00+02:00", "2026-05-01T00:00+02:00")),
                arguments("quarterly", BEFORE_SPRING_FORWARD,
                        List.of("2026-04-01T00:00+02:00", "2026-07-01T00:00+02:00", "2026-10-01T00:00+02:00", "2027-01-01T00:00+01:00")),
                arguments("semiannually", BEFORE_SPRING_FORWARD, List.of("2026-07-01T00:00+02:00", "2027-01-01T00:00+01:00")),
                arguments("yearly", BEFORE_SPRING_FORWARD, List.of("2027-01-01T00:00+01:00", "2028-01-01T00:00+01:00")),
                arguments("annually", BEFORE_SPRING_FORWARD, List.of("2027-01-01T00:00+01:00")),
                arguments("*-*-01 03:30", BEFORE_SPRING_FORWARD, List.of("2026-04-01T03:30+02:00", "2026-05-01T03:30+02:00")),
                arguments("Sun *-*-* 04:00:00", BEFORE_SPRING_FORWARD, List.of("2026-03-29T04:00+02:00", "2026-04-05T04:00+02:00")),
                // 2026-03-27 is a Friday: the next fires jump the weekend to Monday.
                arguments("Mon..Fri 22:00", at("2026-03-27T12:00+01:00"),
                        List.of("2026-03-27T22:00+01:00", "2026-03-30T22:00+02:00", "2026-03-31T22:00+02:00",
                                "2026-04-01T22:00+02:00", "2026-04-02T22:00+02:00", "2026-04-03T22:00+02:00", "2026-04-06T22:00+02:00")),
                arguments("Sat,Sun 10:00", BEFORE_SPRING_FORWARD, List.of("2026-03-29T10:00+02:00", "2026-04-04T10:00+02:00")),
                arguments("*-*~01 23:00", BEFORE_SPRING_FORWARD, List.of("2026-03-31T23:00+02:00", "2026-04-30T23:00+02:00")),
                arguments("*:0/15", BEFORE_SPRING_FORWARD, List.of("2026-03-28T12:15+01:00", "2026-03-28T12:30+01:00")),
                arguments("0 2 * * *", BEFORE_FALL_BACK, List.of("2026-10-25T02:00+01:00", "2026-10-26T02:00+01:00")),
                arguments("*/15 * * * *", BEFORE_SPRING_FORWARD, List.of("2026-03-28T12:15+01:00", "2026-03-28T12:30+01:00")),
                // Classic cron numbers Sunday 0 and 7; 2026-03-29 is a Sunday.
                arguments("30 4 * * 0", BEFORE_SPRING_FORWARD, List.of("2026-03-29T04:30+02:00", "2026-04-05T04:30+02:00")),
                arguments("30 4 * * 7", BEFORE_SPRING_FORWARD, List.of("2026-03-29T04:30+02:00", "2026-04-05T04:30+02:00")),
                arguments("0 6 * * 5-7", BEFORE_SPRING_FORWARD,
                        List.of("2026-03-29T06:00+02:00", "2026-04-03T06:00+02:00", "2026-04-04T06:00+02:00", "2026-04-05T06:00+02:00")),
                arguments("0 22 * * 1-5", at("2026-03-27T12:00+01:00"), List.of("2026-03-27T22:00+01:00", "2026-03-30T22:00+02:00")),
                arguments("0 0 1 JAN *", BEFORE_SPRING_FORWARD, List.of("2027-01-01T00:00+01:00")),
                arguments("0 0 2 * * ?", BEFORE_FALL_BACK, List.of("2026-10-25T02:00+01:00", "2026-10-26T02:00+01:00")),
                arguments("0 0 22 ? * MON-FRI", at("2026-03-27T23:00+01:00"), List.of("2026-03-30T22:00+02:00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void springForward(String expression, Instant after, List<String> expected)
    {
        assertThat(fires(expression, after, expected.size())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> springForward()
    {
        return Stream.of(
                arguments("daily", BEFORE_SPRING_FORWARD,
                        List.of("2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00", "2026-03-31T00:00+02:00")),
                // 02:00 to 02:59 does not exist on 2026-03-29: the fire is skipped that day, not moved to 03:00.
                arguments("02:00", at("2026-03-27T12:00+01:00"),
                        List.of("2026-03-28T02:00+01:00", "2026-03-30T02:00+02:00", "2026-03-31T02:00+02:00")),
                arguments("02:30", at("2026-03-27T12:00+01:00"),
                        List.of("2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00")),
                arguments("0 2 * * 0", BEFORE_SPRING_FORWARD, List.of("2026-04-05T02:00+02:00")),
                arguments("hourly", at("2026-03-29T00:30+01:00"),
                        List.of("2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00")),
                arguments("*-*-* 00,06,12,18:00:00", BEFORE_SPRING_FORWARD,
                        List.of("2026-03-28T18:00+01:00", "2026-03-29T00:00+01:00", "2026-03-29T06:00+02:00",
                                "2026-03-29T12:00+02:00", "2026-03-29T18:00+02:00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void fallBack(String expression, Instant after, List<String> expected)
    {
        assertThat(fires(expression, after, expected.size())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> fallBack()
    {
        return Stream.of(
                arguments("daily", BEFORE_FALL_BACK,
                        List.of("2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00", "2026-10-27T00:00+01:00")),
                // 02:00 to 02:59 happens twice on 2026-10-25; Quartz fires once, in the second pass (+01:00).
                arguments("02:00", BEFORE_FALL_BACK, List.of("2026-10-25T02:00+01:00", "2026-10-26T02:00+01:00")),
                arguments("02:30", BEFORE_FALL_BACK, List.of("2026-10-25T02:30+01:00", "2026-10-26T02:30+01:00")),
                // Counting from inside the first pass, wall times already passed are not fired again.
                arguments("02:00", at("2026-10-25T02:30+02:00"), List.of("2026-10-26T02:00+01:00")),
                arguments("02:30", at("2026-10-25T02:10+02:00"), List.of("2026-10-25T02:30+01:00")),
                // Nothing fires in the first pass: 01:00+02:00 to 02:00+01:00 is two real hours.
                arguments("hourly", at("2026-10-25T00:30+02:00"),
                        List.of("2026-10-25T01:00+02:00", "2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00")),
                arguments("*:0/30", at("2026-10-25T01:15+02:00"),
                        List.of("2026-10-25T01:30+02:00", "2026-10-25T02:00+01:00", "2026-10-25T02:30+01:00")),
                arguments("*-*-* 00,06,12,18:00:00", BEFORE_FALL_BACK,
                        List.of("2026-10-24T18:00+02:00", "2026-10-25T00:00+02:00", "2026-10-25T06:00+01:00",
                                "2026-10-25T12:00+01:00", "2026-10-25T18:00+01:00")));
    }

    @Test
    void aFireInTheSpringForwardGapIsMadeUpForAtTheGapsEnd()
    {
        Instant gapEnd = at("2026-03-29T03:00+02:00");

        // 02:00 and 02:30 do not exist that day: made up for at 03:00 CEST, as systemd's timers fire
        assertThat(Schedule.parse("02:00", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).contains(gapEnd);
        assertThat(Schedule.parse("*-*-* 02:30:00", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).contains(gapEnd);
        assertThat(Schedule.parse("30 2 * * *", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).contains(gapEnd);
        // from after that gap, the next one is a year on
        assertThat(Schedule.parse("02:00", BERLIN).nextSkippedFire(gapEnd)).contains(at("2027-03-28T03:00+02:00"));
        // hourly fires at 03:00 anyway; 00:00 and 04:00 are outside the gap; a weekday schedule skips Sunday's gap
        assertThat(Schedule.parse("hourly", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
        assertThat(Schedule.parse("daily", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
        assertThat(Schedule.parse("04:00", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
        assertThat(Schedule.parse("Mon..Fri 02:00", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
        // no gaps at all in UTC, none for manual
        assertThat(Schedule.parse("02:00", ZoneId.of("UTC")).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
        assertThat(Schedule.parse("manual", BERLIN).nextSkippedFire(BEFORE_SPRING_FORWARD)).isEmpty();
    }

    @Test
    void hourlyLeavesATwoHourGapWhenClocksFallBack()
    {
        List<ZonedDateTime> fires = Schedule.parse("hourly", BERLIN).nextFires(at("2026-10-25T00:30+02:00"), 2);

        assertThat(Duration.between(fires.get(0), fires.get(1))).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void firesAreInTheScheduleZone()
    {
        Schedule schedule = Schedule.parse("02:00", ZoneId.of("UTC"));

        assertThat(schedule.nextFireAfter(BEFORE_SPRING_FORWARD))
                .contains(ZonedDateTime.parse("2026-03-29T02:00Z[UTC]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            daily
            02:00
            02:30
            hourly
            *-*-* 00,06,12,18:00:00
            Mon..Fri 22:00
            30 4 * * 7
            """)
    void agreesWithQuartzCronTrigger(String expression)
    {
        Schedule schedule = Schedule.parse(expression, BERLIN);
        // Built as the engine schedules a job: the translated expression in the schedule's zone.
        // Started long ago, since a trigger computes no fire before its start time (by default, now).
        CronTrigger trigger = TriggerBuilder.newTrigger()
                .startAt(Date.from(Instant.EPOCH))
                .withSchedule(CronScheduleBuilder.cronSchedule(schedule.quartzCron().orElseThrow())
                        .inTimeZone(TimeZone.getTimeZone(schedule.zone())))
                .build();

        for (Instant after : List.of(BEFORE_SPRING_FORWARD, BEFORE_FALL_BACK)) {
            List<Instant> quartzFires = new ArrayList<>();
            Date fire = trigger.getFireTimeAfter(Date.from(after));
            while (quartzFires.size() < 30) {
                quartzFires.add(fire.toInstant());
                fire = trigger.getFireTimeAfter(fire);
            }

            assertThat(schedule.nextFires(after, 30))
                    .extracting(ZonedDateTime::toInstant)
                    .containsExactlyElementsOf(quartzFires);
        }
    }

    @Test
    void datedScheduleEndsAfterItsLastFire()
    {
        Schedule schedule = Schedule.parse("2026-12-24 18:00", BERLIN);

        assertThat(fires("2026-12-24 18:00", BEFORE_SPRING_FORWARD, 3)).containsExactly("2026-12-24T18:00+01:00");
        assertThat(schedule.nextFireAfter(at("2026-12-24T18:00+01:00"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            manual
            MANUAL
            '  manual  '
            """)
    void manualNeverFires(String expression)
    {
        Schedule schedule = Schedule.parse(expression, BERLIN);

        assertThat(schedule.isManual()).isTrue();
        assertThat(schedule.quartzCron()).isEmpty();
        assertThat(schedule.nextFireAfter(BEFORE_SPRING_FORWARD)).isEmpty();
        assertThat(schedule.nextFires(BEFORE_SPRING_FORWARD, 5)).isEmpty();
        assertThat(schedule.expression()).isEqualTo(expression);
    }

    @Test
    void nextFiresOfZeroIsEmpty()
    {
        assertThat(Schedule.parse("daily", BERLIN).nextFires(BEFORE_SPRING_FORWARD, 0)).isEmpty();
    }

    @Test
    void negativeCountIsRefused()
    {
        assertThatThrownBy(() -> Schedule.parse("daily", BERLIN).nextFires(BEFORE_SPRING_FORWARD, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must not be negative: -1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            dayly             | did you mean 'daily'? Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            hourli            | did you mean 'hourly'? Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            weakly            | did you mean 'weekly'? Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            quaterly          | did you mean 'quarterly'? Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            manaul            | did you mean 'manual'? Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            tomorrow          | not a shorthand, weekday, date or time. Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            ""                | the schedule is empty; Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            "   "             | the schedule is empty; Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            *                 | cannot read '*': write weekdays, date and time in that order, each optional; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            22:00 Mon         | cannot read 'Mon': write weekdays, date and time in that order, each optional; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            Mnday 22:00       | unknown weekday 'Mnday' (did you mean 'Monday'?); e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            Mon-Fri 22:00     | weekday ranges are written with '..': 'Mon..Fri', not 'Mon-Fri'
            Fri..Mon 22:00    | weekday range 'Fri..Mon' runs backwards; the week starts on Monday, so split it: 'Fri..Sun,Mon'; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            Sat..Tue 22:00    | weekday range 'Sat..Tue' runs backwards; the week starts on Monday, so split it: 'Sat..Sun,Mon..Tue'; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            Mon *-*-01 02:00  | weekdays (Mon) together with a day of month cannot be expressed in Quartz; give one of them; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            25:00             | hour 25 is out of range 0..23; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            02:60             | minute 60 is out of range 0..59; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *-13-01           | month 13 is out of range 1..12; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *-*-32            | day 32 is out of range 1..31; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            26-12-24          | year 26 is out of range 1970..2099; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *-*-05..01        | day range '05..01' runs backwards; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *:0/0             | minute repetition /0 must be 1..59; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            1,,2:00           | cannot read hour '1,,2': use numbers, lists (0,6,12), ranges (1..5) or repetitions (0/15); e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            02:00:00.5        | fractions of a second ('00.5') are not supported; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            02:00:00:00       | cannot read time '02:00:00:00': write HH:MM or HH:MM:SS; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            2026-12-24-01     | cannot read date '2026-12-24-01': write YYYY-MM-DD or MM-DD; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *-*~31            | '~31': after '~' give one day counted from the end of the month, 1 to 28, e.g. '*-*~01' for the last day; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            *-02-30           | it never fires: no date matches (such as 30 February) or its year is beyond what Quartz computes; e.g. '02:00', 'Mon..Fri 22:00', '*-*-01 03:30', 'Sun *-*-* 04:00:00'
            02:00 UTC         | a time zone inside the expression ('UTC') is not supported; schedules run in the configured zone (Europe/Berlin), so write '02:00'
            daily Europe/Berlin | a time zone inside the expression ('Europe/Berlin') is not supported; schedules run in the configured zone (Europe/Berlin), so write 'daily'
            a b c d           | 4 fields, but classic cron has 5, Quartz cron 6 or 7 and a calendar expression at most 3 (weekdays, date, time); Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            0 0 2 * * ? 2026 x | 8 fields, but classic cron has 5, Quartz cron 6 or 7 and a calendar expression at most 3 (weekdays, date, time); Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            @daily            | crontab macros are not supported; write '0 0 * * *' or 'daily'
            @weekly           | crontab macros are not supported; write '0 0 * * 0' (Sunday) or 'weekly' (Monday)
            @reboot           | '@reboot' is not a schedule; set run_after_start (e.g. 5min) on the job instead
            @often            | crontab macros are not supported; Forms: daily, 02:00, Mon..Fri 22:00, 0 2 * * *, 0 0 2 * * ?, manual
            0 2 1 * 1         | day of month (1) and day of week (1) are both set, which cron reads as either and Quartz cannot express; set one to '*', e.g. '0 2 1 * *' or '0 2 * * 1'
            0 2 * * 8         | day of week '8': day 8 is out of range 0-7; use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'
            0 2 * * 5-1       | day of week '5-1': range '5-1' runs backwards; use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'
            0 2 * * Mnday     | day of week 'Mnday': unknown day 'Mnday' (did you mean 'MON'?); use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'
            0 2 * * 1#2       | day of week '1#2': cannot read '1#2'; use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'
            0 2 * * 1/0       | day of week '1/0': step 0 in '1/0'; use 0-7 (0 and 7 are Sunday) or SUN-SAT, e.g. '1-5', 'MON,WED', '*/2'
            61 * * * *        | Quartz rejects '0 61 * * * ?': Minute and Second values must be between 0 and 59; e.g. '0 2 * * *' (02:00 daily) or '0 22 * * 1-5' (22:00 Monday to Friday)
            0 1 1 L *         | Quartz accepts '0 0 1 1 L ?' but cannot compute fire times for it; e.g. '0 2 * * *' (02:00 daily) or '0 22 * * 1-5' (22:00 Monday to Friday)
            0 0 1 1 L ?       | Quartz accepts '0 0 1 1 L ?' but cannot compute fire times for it; e.g. '0 0 2 * * ?' (02:00 daily) or '0 0 22 ? * MON-FRI'
            0 0 2 * * *       | Quartz cron needs '?' in day of month or day of week, as it cannot combine them; e.g. '0 0 2 * * ?'
            0 0 2 1 * MON     | Quartz cron needs '?' in day of month or day of week, as it cannot combine them; e.g. '0 0 2 ? * MON'
            0 61 * * * ?      | Quartz rejects '0 61 * * * ?': Minute and Second values must be between 0 and 59; e.g. '0 0 2 * * ?' (02:00 daily) or '0 0 22 ? * MON-FRI'
            0 0 0 30 2 ?      | it never fires: no date matches (such as 30 February) or its year is beyond what Quartz computes; e.g. '0 0 2 * * ?' (02:00 daily) or '0 0 22 ? * MON-FRI'
            """)
    void refusesWithAMessageThatShowsAValidForm(String expression, String problem)
    {
        assertThatThrownBy(() -> Schedule.parse(expression, BERLIN))
                .isInstanceOfSatisfying(ScheduleFormatException.class, exception -> assertThat(exception.expression()).isEqualTo(expression))
                .hasMessage("not a schedule: '" + expression + "'; " + problem);
    }

    @Test
    void messageStaysOnOneLine()
    {
        assertThatThrownBy(() -> Schedule.parse("daily\nweekly", BERLIN))
                .isInstanceOf(ScheduleFormatException.class)
                .hasMessageStartingWith("not a schedule: 'daily\\nweekly'; ")
                .message().doesNotContain("\n");
    }

    private static List<String> fires(String expression, Instant after, int count)
    {
        return Schedule.parse(expression, BERLIN).nextFires(after, count).stream()
                .map(fire -> fire.toOffsetDateTime().toString())
                .toList();
    }

    private static Instant at(String offsetDateTime)
    {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }
}
