package io.hyperops.spi;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where things live on this host, from the engine's config.
 *
 * @param dataDir the seed's folder ({@code /var/lib/hypervisor}): files its users already read
 * @param stateDir the engine's own state: per-job state, run history, catch-up stamps
 * @param logDir engine log and one log file per run
 */
public record HostPaths(Path dataDir, Path stateDir, Path logDir)
{
    public HostPaths
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(logDir, "logDir is null");
    }
}
