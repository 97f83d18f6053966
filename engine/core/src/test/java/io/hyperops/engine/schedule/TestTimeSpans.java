package io.hyperops.engine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTimeSpans
{
    private static final String FORMS = "Forms: 90s, 30min, 1h 30min, 7d, 2w, 500ms, PT30M";

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            90s              | PT1M30S
            90               | PT1M30S
            0                | PT0S
            1.5              | PT1.5S
            30min            | PT30M
            30m              | PT30M
            30 min           | PT30M
            5minutes         | PT5M
            1h               | PT1H
            2hr              | PT2H
            1h 30min         | PT1H30M
            1h30min          | PT1H30M
            " 1h  30min "    | PT1H30M
            1.5h             | PT1H30M
            7d               | PT168H
            2days            | PT48H
            2w               | PT336H
            1week            | PT168H
            500ms            | PT0.5S
            500msec          | PT0.5S
            250us            | PT0.00025S
            250µs            | PT0.00025S
            7ns              | PT0.000000007S
            1M               | PT730H30M
            1y               | PT8766H
            1sec             | PT1S
            2 seconds        | PT2S
            PT30M            | PT30M
            pt30m            | PT30M
            P7D              | PT168H
            PT1H30M          | PT1H30M
            """)
    void parses(String text, String expected)
    {
        assertThat(TimeSpans.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PT0S             | 0s
            PT168H           | 7d
            PT336H           | 14d
            PT30M            | 30min
            PT1H30M          | 1h 30min
            PT1M30S          | 1min 30s
            PT1S             | 1s
            PT0.5S           | 500ms
            PT1.5S           | 1s 500ms
            PT25H0.001001001S | 1d 1h 1ms 1us 1ns
            PT24H1S          | 1d 1s
            """)
    void formatsInTheShortestSystemdForm(String duration, String expected)
    {
        assertThat(TimeSpans.format(Duration.parse(duration))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "7d", "30min", "1h 30min", "1d 23h 59min 59s 999ms 999us 999ns", "90d", "5min 30s"})
    void formatReadsBackTheSame(String text)
    {
        assertThat(TimeSpans.format(TimeSpans.parse(text))).isEqualTo(text);
    }

    @Test
    void negativeSpanCannotBeFormatted()
    {
        assertThatThrownBy(() -> TimeSpans.format(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative time span: PT-1S");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""               | the time span is empty; %s
            "  "             | the time span is empty; %s
            -5s              | negative time spans are not allowed; %s
            PT-5M            | negative time spans are not allowed; %s
            -PT5M            | negative time spans are not allowed; %s
            PT               | cannot read it as ISO-8601, e.g. PT30M, PT1H30M, P7D; %s
            P1M              | cannot read it as ISO-8601, e.g. PT30M, PT1H30M, P7D; %s
            30 mins          | unknown unit 'mins', did you mean 'min'? %s
            5 MIN            | unknown unit 'MIN', did you mean 'min'? %s
            2 hrs            | unknown unit 'hrs', did you mean 'hr'? %s
            3 fortnights     | unknown unit 'fortnights'; %s
            1h 30            | '30' has no unit; a bare number is seconds only when it stands alone; %s
            soon             | cannot read 'soon'; %s
            1h soon          | cannot read 'soon'; %s
            1h,30min         | unknown unit 'h,'; %s
            0.0000000001s    | it is finer than a nanosecond; %s
            99999999999999999999999d | it is too long; %s
            """)
    void refusesWithAMessageThatShowsValidForms(String text, String problem)
    {
        assertThatThrownBy(() -> TimeSpans.parse(text))
                .isInstanceOfSatisfying(TimeSpanFormatException.class, exception -> assertThat(exception.text()).isEqualTo(text))
                .hasMessage("not a time span: '" + text + "'; " + problem.formatted(FORMS));
    }
}
