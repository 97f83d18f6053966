package io.hyperops.task.network;

import io.hyperops.spi.Description;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@code network-check} job, which the {@code hyperops network} command reads too: one
 * place for the networkd folder, the confirmation window and the probe targets.
 */
@Description("Checks that bridges are up and that jumbo frames pass end to end; the 'hyperops network' command uses the same settings for its confirmation window.")
public record NetworkSettings(
        @Description("Folder of the systemd-networkd files hyperops writes. Default /etc/systemd/network.")
        Path networkdDir,
        @Description("How long a change waits for passing probes or 'hyperops network confirm' before it is reverted. Default 60s.")
        Duration confirmTimeout,
        @Description("Addresses (IP literals, never names) that must answer after a change and that network-check pings with don't-fragment packets of MTU minus 28 bytes. A default gateway reached through an interface the change touches is always added.")
        List<String> probeTargets,
        @Description("How long one ping waits for its answer. Default 1s.")
        Duration probeTimeout,
        @Description("Pause between rounds of probes in the confirmation window. Default 2s.")
        Duration probeInterval,
        @Description("Bridges network-check expects to exist and be up. Empty (default): every bridge whose name the seed did not treat as virtual (virbr*, br-*, docker*).")
        List<String> bridges)
{
    public NetworkSettings
    {
        networkdDir = networkdDir == null ? Path.of("/etc/systemd/network") : networkdDir;
        confirmTimeout = positive("confirm_timeout", confirmTimeout, Duration.ofSeconds(60));
        probeTargets = List.copyOf(probeTargets == null ? List.of() : probeTargets);
        for (String target : probeTargets) {
            if (IpAddresses.literal(target).isEmpty()) {
                throw new IllegalArgumentException("probe_targets: '" + target + "' is not an IP address; list addresses, not names, so a probe never waits for DNS");
            }
        }
        probeTimeout = positive("probe_timeout", probeTimeout, Duration.ofSeconds(1));
        probeInterval = positive("probe_interval", probeInterval, Duration.ofSeconds(2));
        bridges = List.copyOf(bridges == null ? List.of() : bridges);
    }

    public static NetworkSettings defaults()
    {
        return new NetworkSettings(null, null, null, null, null, null);
    }

    private static Duration positive(String name, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero, was " + result);
        }
        return result;
    }
}
