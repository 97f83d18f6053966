package io.hyperops.task.network;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The interfaces and routes at one moment: what validation reads and what a revert restores. */
public record HostNetwork(List<NetworkInterface> interfaces, List<DefaultRoute> defaultRoutes, List<StaticRoute> staticRoutes)
{
    public HostNetwork
    {
        interfaces = List.copyOf(requireNonNull(interfaces, "interfaces is null"));
        defaultRoutes = List.copyOf(requireNonNull(defaultRoutes, "defaultRoutes is null"));
        staticRoutes = List.copyOf(requireNonNull(staticRoutes, "staticRoutes is null"));
    }

    public Optional<NetworkInterface> find(String name)
    {
        return interfaces.stream().filter(candidate -> candidate.name().equals(name)).findFirst();
    }

    public List<NetworkInterface> portsOf(String bridge)
    {
        return interfaces.stream().filter(candidate -> candidate.master().equals(Optional.of(bridge))).toList();
    }

    public List<DefaultRoute> defaultRoutesVia(String device)
    {
        return defaultRoutes.stream().filter(route -> route.device().equals(device)).toList();
    }

    public List<StaticRoute> staticRoutesVia(String device)
    {
        return staticRoutes.stream().filter(route -> route.device().equals(device)).toList();
    }
}
