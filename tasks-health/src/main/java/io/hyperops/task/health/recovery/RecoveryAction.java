package io.hyperops.task.health.recovery;

import java.time.Instant;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One thing recovery did to a guest.
 *
 * @param source {@code event} (libvirt told us) or {@code sweep} (found on the periodic look)
 * @param detail the state it was found in, and for a failure the error
 */
public record RecoveryAction(Instant time, String guest, Kind kind, String source, String detail)
{
    public RecoveryAction
    {
        requireNonNull(time, "time is null");
        requireNonNull(guest, "guest is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(source, "source is null");
        requireNonNull(detail, "detail is null");
    }

    public enum Kind
    {
        RESTARTED, RESTART_FAILED, GIVEN_UP, RESET;

        public String jsonName()
        {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public String describe()
    {
        return guest + " " + kind.jsonName() + " (" + source + ", " + detail + ")";
    }
}
