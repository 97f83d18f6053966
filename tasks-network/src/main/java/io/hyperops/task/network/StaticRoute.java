package io.hyperops.task.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A route someone added to an interface, other than the default route: {@code 10.88.0.0/16 via 10.0.0.2
 * dev eno1 metric 100}. Flushing an interface's addresses takes these with it, so a change or a revert
 * that moves or flushes addresses puts them back; the kernel's own routes come back with the addresses.
 */
public record StaticRoute(String destination, Optional<String> gateway, String device, Optional<Integer> metric)
{
    /** Routes the kernel or router advertisements make, which come back by themselves. */
    static final List<String> AUTOMATIC_PROTOCOLS = List.of("kernel", "ra", "redirect");

    public StaticRoute
    {
        requireNonNull(destination, "destination is null");
        requireNonNull(gateway, "gateway is null");
        requireNonNull(device, "device is null");
        requireNonNull(metric, "metric is null");
    }

    /** {@code ip route replace} of this route on {@code onDevice}: its own device, or the one its addresses moved to. */
    List<String> replaceOn(String onDevice)
    {
        List<String> command = new ArrayList<>(List.of("ip", "route", "replace", destination));
        gateway.ifPresent(via -> command.addAll(List.of("via", via)));
        command.addAll(List.of("dev", onDevice));
        metric.ifPresent(value -> command.addAll(List.of("metric", String.valueOf(value))));
        return command;
    }
}
