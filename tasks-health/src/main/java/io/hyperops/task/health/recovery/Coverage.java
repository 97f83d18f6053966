package io.hyperops.task.health.recovery;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** Which guests vm-recovery restarts after a crash. */
public enum Coverage
{
    /** Guests marked autostart: the ones the host is meant to keep running. The default. */
    AUTOSTART,
    /** The guests named in {@code guests}. */
    LIST,
    /** Every guest. */
    ALL;

    @JsonValue
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Coverage fromConfigName(String name)
    {
        return Arrays.stream(values())
                .filter(value -> value.configName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("coverage must be 'autostart', 'list' or 'all', not '" + name + "'"));
    }
}
