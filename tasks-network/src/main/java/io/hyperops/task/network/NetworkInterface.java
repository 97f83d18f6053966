package io.hyperops.task.network;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One interface as {@code ip -json -details} and {@code /sys/class/net} show it.
 *
 * @param physical backed by a device ({@code /sys/class/net/NAME/device} exists), not a bridge, veth, tap, ...
 * @param kind the link kind ({@code bridge}, {@code veth}, ...); empty for plain physical NICs
 * @param state the operational state: {@code UP}, {@code DOWN}, {@code UNKNOWN}, ...
 * @param adminUp the administrative flag ({@code ip link set ... up})
 * @param speedMbps absent where the driver does not say (virtual links, a NIC without carrier)
 * @param minMtu the smallest MTU the driver accepts
 * @param maxMtu the largest MTU the driver accepts
 * @param addresses global-scope addresses in CIDR form, IPv4 first
 * @param master the bridge this interface is a port of
 */
public record NetworkInterface(
        String name,
        boolean physical,
        String kind,
        String state,
        boolean adminUp,
        Optional<Integer> speedMbps,
        Optional<String> duplex,
        int mtu,
        int minMtu,
        int maxMtu,
        String driver,
        List<String> addresses,
        Optional<String> master)
{
    /** The seed's bridge helper skipped these names when it listed interfaces to bridge. */
    private static final Pattern VIRTUAL_NAMES = Pattern.compile("lo|virbr.*|br-.*|docker.*|veth.*|tap.*|tun.*");

    public NetworkInterface
    {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(state, "state is null");
        requireNonNull(speedMbps, "speedMbps is null");
        requireNonNull(duplex, "duplex is null");
        requireNonNull(driver, "driver is null");
        addresses = List.copyOf(requireNonNull(addresses, "addresses is null"));
        requireNonNull(master, "master is null");
    }

    public boolean isBridge()
    {
        return kind.equals("bridge");
    }

    /** True for the names the default view of {@code network list} leaves out. */
    public boolean hasVirtualName()
    {
        return VIRTUAL_NAMES.matcher(name).matches();
    }
}
