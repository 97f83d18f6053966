package io.hyperops.task.health.recovery;


import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The vm-recovery job's durable state ({@code recovery.json} in its state folder): per guest, the
 * restarts within the crash-loop window and whether recovery gave up on it.
 */
public record RecoveryLedger(Map<String, GuestRecord> guests)
{
    /** The name under the job's {@link io.hyperops.spi.StateStore}. */
    public static final String STATE_NAME = "recovery";
    public static final String JOB_NAME = "vm-recovery";

    public RecoveryLedger
    {
        guests = Map.copyOf(requireNonNull(guests, "guests is null"));
    }

    public static RecoveryLedger empty()
    {
        return new RecoveryLedger(Map.of());
    }

    public GuestRecord guest(String name)
    {
        return guests.getOrDefault(name, GuestRecord.NONE);
    }

    public RecoveryLedger with(String name, GuestRecord record)
    {
        Map<String, GuestRecord> updated = new TreeMap<>(guests);
        if (record.equals(GuestRecord.NONE)) {
            updated.remove(name);
        }
        else {
            updated.put(name, record);
        }
        return new RecoveryLedger(updated);
    }

    /** Guests recovery gave up on, by name. */
    public List<String> givenUp()
    {
        return guests.entrySet().stream().filter(entry -> entry.getValue().givenUpAt().isPresent()).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * @param restarts when recovery restarted the guest, oldest first, within the crash-loop window
     * @param givenUpAt when recovery stopped restarting it
     * @param seenUpSince for a given-up guest, when a sweep first found it running again
     */
    public record GuestRecord(List<Instant> restarts, Optional<Instant> givenUpAt, Optional<Instant> seenUpSince)
    {
        static final GuestRecord NONE = new GuestRecord(List.of(), Optional.empty(), Optional.empty());

        public GuestRecord
        {
            restarts = List.copyOf(requireNonNull(restarts, "restarts is null"));
            givenUpAt = givenUpAt == null ? Optional.empty() : givenUpAt;
            seenUpSince = seenUpSince == null ? Optional.empty() : seenUpSince;
        }

        /** A given-up guest a sweep found running (an operator started it): its stable period counts from here. */
        GuestRecord seenUp(Instant time)
        {
            return new GuestRecord(restarts, givenUpAt, seenUpSince.or(() -> Optional.of(time)));
        }

        GuestRecord seenDown()
        {
            return new GuestRecord(restarts, givenUpAt, Optional.empty());
        }

        /** Restarts at or after {@code since}. */
        GuestRecord within(Instant since)
        {
            return new GuestRecord(restarts.stream().filter(time -> !time.isBefore(since)).toList(), givenUpAt, seenUpSince);
        }

        GuestRecord restartedAt(Instant time)
        {
            List<Instant> updated = new java.util.ArrayList<>(restarts);
            updated.add(time);
            return new GuestRecord(updated, givenUpAt, seenUpSince);
        }

        GuestRecord givenUp(Instant time)
        {
            return new GuestRecord(restarts, Optional.of(time), Optional.empty());
        }

        Optional<Instant> lastRestart()
        {
            return restarts.isEmpty() ? Optional.empty() : Optional.of(restarts.get(restarts.size() - 1));
        }
    }
}
