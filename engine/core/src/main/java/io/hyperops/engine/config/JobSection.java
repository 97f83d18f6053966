package io.hyperops.engine.config;

import io.hyperops.spi.Description;
import io.hyperops.spi.Overlap;

import java.time.Duration;
import java.time.ZoneId;

/**
 * One job's section of the config file as written, before the job's defaults fill the gaps. Its
 * {@code settings} object is read separately, into the job's own settings record.
 */
@Description("Keys every job takes. Absent keys take the job's defaults (listed per job below).")
record JobSection(
        @Description("Whether the job is scheduled at all. A disabled job can still be run by hand.")
        Boolean enabled,
        @Description("When the job fires: `hourly`, `daily`, `weekly`, `monthly`, `02:00`, `Mon..Fri 22:00`, `*-*-* 00,06,12,18:00:00`, 5-field cron (`0 2 * * *`), Quartz cron (`0 0 2 * * ?`), or `manual`. A fire at a wall time the clock skips when it springs forward (02:30 when 02:00 jumps to 03:00) runs once at the end of the gap, as systemd's timers do.")
        String schedule,
        @Description("Random delay added to each scheduled fire, like systemd's `RandomizedDelaySec`.")
        Duration jitter,
        @Description("Run once at start when scheduled fires were missed while the engine was down, like systemd's `Persistent=true`.")
        Boolean catchUp,
        @Description("When the job is triggered while it runs: `skip` the new trigger, or `queue` it (at most one waits).")
        Overlap overlap,
        @Description("A run still going after this long is asked to stop and recorded as `timed-out`.")
        Duration timeout,
        @Description("Also fire this long after the engine starts, like systemd's `OnBootSec`.")
        Duration runAfterStart,
        @Description("Time zone of this job's schedule. Default: `engine.time_zone`.")
        ZoneId timeZone)
{
    /** The key that holds the job's own settings; not a component, since its type depends on the job. */
    static final String SETTINGS = "settings";
}
