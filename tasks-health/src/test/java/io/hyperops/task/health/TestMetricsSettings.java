package io.hyperops.task.health;

import io.hyperops.spi.Description;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMetricsSettings
{
    @Test
    void keepsSevenDaysByDefault()
    {
        assertThat(MetricsSettings.defaults().retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void keepsAGivenRetention()
    {
        assertThat(new MetricsSettings(Duration.ofHours(36), null, null).retention()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void rejectsRetentionThatIsNotPositive()
    {
        assertThatThrownBy(() -> new MetricsSettings(Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be longer than zero, was PT0S; it is how long a metrics file is kept, e.g. 7 days");
        assertThatThrownBy(() -> new MetricsSettings(Duration.ofDays(-1), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retention must be longer than zero, was PT-24H");
    }

    @Test
    void describesEverySetting()
    {
        assertThat(MetricsSettings.class.getAnnotation(Description.class)).isNotNull();
        for (RecordComponent component : MetricsSettings.class.getRecordComponents()) {
            assertThat(component.getAnnotation(Description.class))
                    .as("@Description on %s", component.getName())
                    .isNotNull()
                    .extracting(Description::value)
                    .asString()
                    .isNotBlank();
        }
    }
}
