package io.hyperops.task.network;

import static java.util.Objects.requireNonNull;

/** A default route: {@code default via GATEWAY dev DEVICE}. */
public record DefaultRoute(String gateway, String device)
{
    public DefaultRoute
    {
        requireNonNull(gateway, "gateway is null");
        requireNonNull(device, "device is null");
    }
}
