package io.hyperops.task.network;

import java.util.List;
import java.util.Optional;

/** Hand-made {@link HostNetwork}s for tests that need no real interfaces. */
final class TestingHosts
{
    private TestingHosts() {}

    static NetworkInterface nic(String name, List<String> addresses)
    {
        return new NetworkInterface(name, true, "", "UP", true, Optional.of(1000), Optional.of("full"), 1500, 68, 9216, "e1000e", addresses, Optional.empty());
    }

    static NetworkInterface port(String name, String bridge, int mtu)
    {
        return new NetworkInterface(name, true, "", "UP", true, Optional.of(1000), Optional.of("full"), mtu, 68, 9216, "e1000e", List.of(), Optional.of(bridge));
    }

    static NetworkInterface bridge(String name, int mtu, List<String> addresses)
    {
        return new NetworkInterface(name, false, "bridge", "UP", true, Optional.empty(), Optional.empty(), mtu, 68, 65535, "bridge", addresses, Optional.empty());
    }

    static NetworkInterface virtual(String name, String kind)
    {
        return new NetworkInterface(name, false, kind, "UP", true, Optional.empty(), Optional.empty(), 1500, 68, 65535, kind, List.of(), Optional.empty());
    }

    /** eno1 with 192.168.1.10/24 and the default route through 192.168.1.1. */
    static HostNetwork plainHost()
    {
        return new HostNetwork(
                List.of(virtual("lo", ""), nic("eno1", List.of("192.168.1.10/24")), virtual("virbr0", "bridge"), virtual("vethabc", "veth")),
                List.of(new DefaultRoute("192.168.1.1", "eno1")),
                List.of());
    }

    /** br0 over eno1, the bridge holding 192.168.1.10/24 and the default route. */
    static HostNetwork bridgedHost(int mtu)
    {
        return new HostNetwork(
                List.of(virtual("lo", ""), port("eno1", "br0", mtu), bridge("br0", mtu, List.of("192.168.1.10/24"))),
                List.of(new DefaultRoute("192.168.1.1", "br0")),
                List.of());
    }
}
