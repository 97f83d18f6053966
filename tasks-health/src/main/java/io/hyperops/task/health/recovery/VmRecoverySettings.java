package io.hyperops.task.health.recovery;

import io.hyperops.spi.Description;

import java.time.Duration;
import java.util.List;

/** Settings of the {@code vm-recovery} job and of the event listener it keeps registered. */
@Description("Restarts guests that crashed (QEMU died: 'shut off (crashed)', or a guest panic: 'crashed'), never ones an operator stopped, with crash-loop protection.")
public record VmRecoverySettings(
        @Description("Which guests are restarted: 'autostart' (default: guests marked autostart, the ones meant to run), 'list' (the guests setting) or 'all'.")
        Coverage coverage,
        @Description("Guest names restarted when coverage is 'list'.")
        List<String> guests,
        @Description("Restarts allowed within the window; at the next crash recovery gives up on the guest and health reports ERROR. Default 3.")
        Integer maxRestarts,
        @Description("The crash-loop window: a restart counts against max_restarts for this long, or for stable_period when that is longer, so a guest that crashes again before it has run stable_period stays counted. Default 10min.")
        Duration window,
        @Description("A guest that has run this long since its last restart has its counter cleared (and a given-up guest an operator started again is watched again). Default 30min.")
        Duration stablePeriod,
        @Description("React to libvirt's crash events within seconds; off leaves only the periodic sweep. Default true.")
        Boolean listen)
{
    public VmRecoverySettings
    {
        coverage = coverage == null ? Coverage.AUTOSTART : coverage;
        guests = List.copyOf(guests == null ? List.of() : guests);
        maxRestarts = maxRestarts == null ? 3 : maxRestarts;
        window = window == null ? Duration.ofMinutes(10) : window;
        stablePeriod = stablePeriod == null ? Duration.ofMinutes(30) : stablePeriod;
        listen = listen == null || listen;
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("max_restarts must be at least 1, was " + maxRestarts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be longer than zero, was " + window);
        }
        if (stablePeriod.isNegative() || stablePeriod.isZero()) {
            throw new IllegalArgumentException("stable_period must be longer than zero, was " + stablePeriod);
        }
        if (coverage == Coverage.LIST && guests.isEmpty()) {
            throw new IllegalArgumentException("coverage 'list' needs guest names in guests, e.g. [\"web-1\"]");
        }
        if (coverage != Coverage.LIST && !guests.isEmpty()) {
            throw new IllegalArgumentException("guests is read only with coverage 'list', but coverage is '" + coverage.configName() + "'");
        }
    }

    public static VmRecoverySettings defaults()
    {
        return new VmRecoverySettings(null, null, null, null, null, null);
    }

    /**
     * How long a restart counts against {@code max_restarts}: the window, or the stable period when that
     * is longer. Counted for the window alone, a guest that panics every four minutes would be restarted
     * for ever while the health checks, looking between crashes, saw it running.
     */
    public Duration countedFor()
    {
        return window.compareTo(stablePeriod) >= 0 ? window : stablePeriod;
    }
}
