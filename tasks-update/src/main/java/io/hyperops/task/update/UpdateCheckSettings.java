package io.hyperops.task.update;

import io.hyperops.spi.Description;

import java.time.Duration;

/** Settings of the {@code update-check} job; its providers are the {@code update} job's. */
@Description("Looks for updates with every provider of the update job and writes update-status.json; changes nothing.")
public record UpdateCheckSettings(
        @Description("A scheduled or caught-up check is skipped when the last one is younger than this (the seed's 24 h guard); a check asked for by hand always runs. Default 24h.")
        Duration minInterval)
{
    public UpdateCheckSettings
    {
        minInterval = UpdateSettings.positive("min_interval", minInterval, Duration.ofHours(24));
    }

    public static UpdateCheckSettings defaults()
    {
        return new UpdateCheckSettings(null);
    }
}
