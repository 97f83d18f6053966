package io.hyperops.engine;

import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/** When this engine started scheduling: empty for a command that runs a job in-process. */
public final class DaemonState
{
    private volatile Instant upSince;

    @Inject
    public DaemonState() {}

    void started(Instant when)
    {
        upSince = when;
    }

    public Optional<Instant> upSince()
    {
        return Optional.ofNullable(upSince);
    }
}
