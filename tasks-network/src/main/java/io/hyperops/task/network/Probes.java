package io.hyperops.task.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Pings a target, then, where the route to it leaves through an interface with an MTU above 1500,
 * pings it again with don't-fragment packets that fill that MTU exactly (MTU minus 28 bytes of IPv4
 * and ICMP headers, 48 for IPv6): a jumbo MTU that some hop does not take fails here.
 */
public final class Probes
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostShell shell;

    @Inject
    public Probes(HostShell shell)
    {
        this.shell = requireNonNull(shell, "shell is null");
    }

    public List<ProbeResult> run(List<String> targets, Duration timeout)
            throws IOException, InterruptedException
    {
        List<ProbeResult> results = new ArrayList<>();
        for (String target : targets) {
            results.add(probe(target, timeout));
        }
        return results;
    }

    public ProbeResult probe(String target, Duration timeout)
            throws IOException, InterruptedException
    {
        if (!ping(target, List.of(), timeout)) {
            return new ProbeResult(target, false, Optional.empty(), false, target + " does not answer");
        }
        Optional<Integer> mtu = routeMtu(target, timeout);
        if (mtu.isEmpty() || mtu.get() <= MtuProfile.STANDARD) {
            return new ProbeResult(target, true, mtu, true, target + " answers");
        }
        int size = mtu.get() - (target.contains(":") ? 48 : 28);
        boolean jumbo = ping(target, List.of("-M", "do", "-s", String.valueOf(size)), timeout);
        return new ProbeResult(target, true, mtu, jumbo, jumbo
                ? target + " answers, and " + size + "-byte don't-fragment pings pass (MTU " + mtu.get() + ")"
                : target + " answers, but " + size + "-byte don't-fragment pings do not pass: the path takes less than MTU " + mtu.get()
                        + " (a switch port or the peer has a smaller MTU)");
    }

    private boolean ping(String target, List<String> options, Duration timeout)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("ping", "-n", "-q", "-c", "1", "-W", String.valueOf(Math.max(1, timeout.toSeconds()))));
        command.addAll(options);
        command.add(target);
        return shell.run(command, timeout.plusSeconds(2)).succeeded();
    }

    /** The MTU of the interface the route to {@code target} leaves through. */
    private Optional<Integer> routeMtu(String target, Duration timeout)
            throws IOException, InterruptedException
    {
        HostShell.Result route = shell.run(List.of("ip", "-json", "route", "get", target), timeout.plusSeconds(2));
        if (!route.succeeded()) {
            return Optional.empty();
        }
        JsonNode routes = JSON.readTree(route.output());
        if (routes.isEmpty() || !routes.get(0).hasNonNull("dev")) {
            return Optional.empty();
        }
        HostShell.Result link = shell.run(List.of("ip", "-json", "link", "show", "dev", routes.get(0).get("dev").asText()), timeout.plusSeconds(2));
        if (!link.succeeded()) {
            return Optional.empty();
        }
        JsonNode links = JSON.readTree(link.output());
        return links.isEmpty() ? Optional.empty() : Optional.of(links.get(0).path("mtu").asInt());
    }

    /**
     * @param reachable a plain ping was answered
     * @param mtu the MTU of the interface the route leaves through, when known
     * @param pathMtuPasses full-size don't-fragment pings pass (true where the MTU is 1500 or less)
     */
    public record ProbeResult(String target, boolean reachable, Optional<Integer> mtu, boolean pathMtuPasses, String message)
    {
        public ProbeResult
        {
            requireNonNull(target, "target is null");
            requireNonNull(mtu, "mtu is null");
            requireNonNull(message, "message is null");
        }

        public boolean passed()
        {
            return reachable && pathMtuPasses;
        }
    }
}
