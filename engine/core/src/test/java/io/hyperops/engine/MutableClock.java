package io.hyperops.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, to stand for time passing while the engine is down. */
public final class MutableClock
        extends Clock
{
    private volatile Instant now;

    public MutableClock(Instant start)
    {
        this.now = start;
    }

    public void advance(Duration duration)
    {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone)
    {
        throw new UnsupportedOperationException("tests use UTC");
    }

    @Override
    public Instant instant()
    {
        return now;
    }
}
