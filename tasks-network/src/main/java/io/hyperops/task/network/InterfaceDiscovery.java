package io.hyperops.task.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads the interfaces from {@code ip -json -details link}, {@code ip -json address} and
 * {@code ip -json route}, and speed, duplex, driver and whether a device backs each one from
 * {@code /sys/class/net}. Sysfs is read by a shell in the same namespace as {@code ip}, so both agree.
 */
public final class InterfaceDiscovery
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    // One line per interface: name, speed, duplex, "device" when a device backs it, driver of that device.
    private static final String SYSFS = """
            for d in /sys/class/net/*; do
              n=${d##*/}; dev=""; drv=""
              if [ -e "$d/device" ]; then dev=device; drv=$(basename "$(readlink "$d/device/driver" 2>/dev/null)" 2>/dev/null); fi
              printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$n" "$(cat "$d/speed" 2>/dev/null)" "$(cat "$d/duplex" 2>/dev/null)" "$dev" "$drv"
            done
            """;

    private final HostShell shell;

    @Inject
    public InterfaceDiscovery(HostShell shell)
    {
        this.shell = requireNonNull(shell, "shell is null");
    }

    public HostNetwork read()
            throws IOException, InterruptedException
    {
        JsonNode links = JSON.readTree(shell.output(List.of("ip", "-json", "-details", "link", "show"), TIMEOUT));
        JsonNode addresses = JSON.readTree(shell.output(List.of("ip", "-json", "address", "show"), TIMEOUT));
        JsonNode routes = JSON.readTree(orEmptyArray(shell.output(List.of("ip", "-json", "route", "show", "default"), TIMEOUT)));
        JsonNode routes6 = JSON.readTree(orEmptyArray(shell.output(List.of("ip", "-6", "-json", "route", "show", "default"), TIMEOUT)));
        JsonNode allRoutes = JSON.readTree(orEmptyArray(shell.output(List.of("ip", "-json", "route", "show"), TIMEOUT)));
        JsonNode allRoutes6 = JSON.readTree(orEmptyArray(shell.output(List.of("ip", "-6", "-json", "route", "show"), TIMEOUT)));
        Map<String, String[]> sysfs = sysfs(shell.output(List.of("sh", "-c", SYSFS), TIMEOUT));
        Map<String, List<String>> addressesByName = addresses(addresses);

        List<NetworkInterface> interfaces = new ArrayList<>();
        for (JsonNode link : links) {
            String name = link.path("ifname").asText();
            String[] facts = sysfs.getOrDefault(name, new String[] {name, "", "", "", ""});
            String kind = link.path("linkinfo").path("info_kind").asText("");
            boolean physical = facts[3].equals("device");
            interfaces.add(new NetworkInterface(
                    name,
                    physical,
                    kind,
                    link.path("operstate").asText("UNKNOWN"),
                    contains(link.path("flags"), "UP"),
                    positive(facts[1]),
                    facts[2].isEmpty() || facts[2].equals("unknown") ? Optional.empty() : Optional.of(facts[2]),
                    link.path("mtu").asInt(),
                    link.path("min_mtu").asInt(0),
                    link.path("max_mtu").asInt(0),
                    physical ? facts[4] : kind,
                    addressesByName.getOrDefault(name, List.of()),
                    link.hasNonNull("master") ? Optional.of(link.get("master").asText()) : Optional.empty()));
        }
        List<DefaultRoute> defaultRoutes = new ArrayList<>();
        for (JsonNode route : concat(routes, routes6)) {
            if (route.hasNonNull("gateway") && route.hasNonNull("dev")) {
                defaultRoutes.add(new DefaultRoute(route.get("gateway").asText(), route.get("dev").asText()));
            }
        }
        List<StaticRoute> staticRoutes = new ArrayList<>();
        for (JsonNode route : concat(allRoutes, allRoutes6)) {
            String destination = route.path("dst").asText("");
            if (!destination.isEmpty() && !destination.equals("default") && route.hasNonNull("dev")
                    && !StaticRoute.AUTOMATIC_PROTOCOLS.contains(route.path("protocol").asText("boot"))) {
                staticRoutes.add(new StaticRoute(destination,
                        route.hasNonNull("gateway") ? Optional.of(route.get("gateway").asText()) : Optional.empty(),
                        route.get("dev").asText(),
                        route.hasNonNull("metric") ? Optional.of(route.get("metric").asInt()) : Optional.empty()));
            }
        }
        return new HostNetwork(interfaces, defaultRoutes, staticRoutes);
    }

    private static Map<String, List<String>> addresses(JsonNode addresses)
    {
        Map<String, List<String>> result = new HashMap<>();
        for (JsonNode link : addresses) {
            List<String> inet = new ArrayList<>();
            List<String> inet6 = new ArrayList<>();
            for (JsonNode address : link.path("addr_info")) {
                if (!address.path("scope").asText().equals("global")) {
                    continue;
                }
                String cidr = address.path("local").asText() + "/" + address.path("prefixlen").asInt();
                (address.path("family").asText().equals("inet") ? inet : inet6).add(cidr);
            }
            inet.addAll(inet6);
            result.put(link.path("ifname").asText(), inet);
        }
        return result;
    }

    private static Map<String, String[]> sysfs(String output)
    {
        Map<String, String[]> result = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 5) {
                result.put(fields[0], fields);
            }
        }
        return result;
    }

    private static Optional<Integer> positive(String text)
    {
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? Optional.of(value) : Optional.empty();
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean contains(JsonNode array, String value)
    {
        for (JsonNode element : array) {
            if (element.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> concat(JsonNode first, JsonNode second)
    {
        List<JsonNode> all = new ArrayList<>();
        first.forEach(all::add);
        second.forEach(all::add);
        return all;
    }

    private static String orEmptyArray(String json)
    {
        return json.isBlank() ? "[]" : json;
    }
}
