package io.hyperops.spi;

import java.util.Locale;

/** Why a run started. */
public enum Trigger
{
    /** Its schedule fired. */
    SCHEDULE,
    /** At start-up, for fires missed while the engine was down (jobs with {@code catch_up}). */
    CATCH_UP,
    /** An operator asked for it ({@code hyperops run-job}). */
    MANUAL,
    /** Another job asked for it through {@link JobRunner}. */
    REQUESTED;

    public String jsonName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Trigger fromJsonName(String name)
    {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
