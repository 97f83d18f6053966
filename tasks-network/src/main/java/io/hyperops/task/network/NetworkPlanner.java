package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.BridgeCreate;
import io.hyperops.task.network.NetworkChange.BridgeRemove;
import io.hyperops.task.network.NetworkChange.MtuSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a validated change into its plan. Pure apart from reading the networkd files that exist, so the
 * same inputs always give the same plan (the golden-file tests rely on that).
 */
public final class NetworkPlanner
{
    private NetworkPlanner() {}

    public static NetworkPlan plan(NetworkChange change, HostNetwork host, Path networkdDir)
            throws IOException
    {
        if (change instanceof BridgeCreate create) {
            return bridgeCreate(create, host);
        }
        if (change instanceof MtuSet set) {
            return mtuSet(set, host, networkdDir);
        }
        return bridgeRemove((BridgeRemove) change, host, networkdDir);
    }

    private static NetworkPlan bridgeCreate(BridgeCreate create, HostNetwork host)
    {
        int mtu = MtuProfile.parse(create.mtu()).orElseThrow();
        String iface = create.iface();
        String bridge = create.bridge();
        String header = header(create);
        NetworkInterface port = host.find(iface).orElseThrow();

        Map<String, String> files = new LinkedHashMap<>();
        files.put(bridge + ".netdev", NetworkdFiles.netdev(header, bridge, mtu));
        files.put(bridge + ".network", NetworkdFiles.bridgeNetwork(header, bridge, create.addressing()));
        files.put(iface + ".network", NetworkdFiles.portNetwork(header, iface, bridge, mtu));

        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("ip", "link", "add", "name", bridge, "type", "bridge", "stp_state", "0"));
        commands.add(List.of("ip", "link", "set", "dev", iface, "mtu", String.valueOf(mtu)));
        commands.add(List.of("ip", "link", "set", "dev", iface, "master", bridge));
        commands.add(List.of("ip", "link", "set", "dev", bridge, "mtu", String.valueOf(mtu)));
        if (!port.addresses().isEmpty()) {
            commands.add(List.of("ip", "address", "flush", "dev", iface, "scope", "global"));
        }
        // With DHCP the port's current addresses move to the bridge, so the host stays reachable until a lease comes.
        List<String> addresses = create.addressing().address().map(List::of).orElse(port.addresses());
        addresses.forEach(address -> commands.add(List.of("ip", "address", "add", address, "dev", bridge)));
        commands.add(List.of("ip", "link", "set", "dev", iface, "up"));
        commands.add(List.of("ip", "link", "set", "dev", bridge, "up"));
        List<String> gateways = create.addressing().isDhcp()
                ? host.defaultRoutesVia(iface).stream().map(DefaultRoute::gateway).toList()
                : create.addressing().gateway().map(List::of).orElse(List.of());
        gateways.forEach(gateway -> commands.add(List.of("ip", "route", "replace", "default", "via", gateway, "dev", bridge)));
        // The flush took the port's other routes (a management network behind a router): they follow its addresses.
        if (create.addressing().address().isEmpty()) {
            host.staticRoutesVia(iface).forEach(route -> commands.add(route.replaceOn(bridge)));
        }

        StringBuilder nixos = new StringBuilder("{\n");
        nixos.append("  networking.bridges.\"").append(bridge).append("\".interfaces = [ \"").append(iface).append("\" ];\n");
        nixos.append("  networking.interfaces.\"").append(iface).append("\".mtu = ").append(mtu).append(";\n");
        nixos.append("  networking.interfaces.\"").append(bridge).append("\".mtu = ").append(mtu).append(";\n");
        if (create.addressing().isDhcp()) {
            nixos.append("  networking.interfaces.\"").append(bridge).append("\".useDHCP = true;\n");
        }
        else {
            String cidr = create.addressing().address().orElseThrow();
            String family = cidr.contains(":") ? "ipv6" : "ipv4";
            nixos.append("  networking.interfaces.\"").append(bridge).append("\".").append(family).append(".addresses = [ { address = \"")
                    .append(IpAddresses.address(cidr)).append("\"; prefixLength = ").append(IpAddresses.prefixLength(cidr).orElseThrow()).append("; } ];\n");
            create.addressing().gateway().ifPresent(gateway -> nixos.append("  networking.")
                    .append(gateway.contains(":") ? "defaultGateway6" : "defaultGateway").append(" = \"").append(gateway).append("\";\n"));
        }
        nixos.append("}\n");
        return new NetworkPlan(create, files, List.of(), commands, nixos.toString());
    }

    private static NetworkPlan mtuSet(MtuSet set, HostNetwork host, Path networkdDir)
            throws IOException
    {
        int mtu = MtuProfile.parse(set.mtu()).orElseThrow();
        NetworkInterface iface = host.find(set.iface()).orElseThrow();
        String header = header(set);
        Map<String, String> files = new LinkedHashMap<>();
        List<List<String>> commands = new ArrayList<>();
        StringBuilder nixos = new StringBuilder("{\n");
        // A bridge forwards no frame larger than its smallest port takes, so its ports go first.
        List<String> names = new ArrayList<>(host.portsOf(iface.name()).stream().map(NetworkInterface::name).toList());
        names.add(iface.name());
        for (String name : names) {
            Optional<String> network = read(networkdDir, name + ".network");
            files.put(name + ".network", network
                    .map(content -> NetworkdFiles.set(content, "Link", "MTUBytes", String.valueOf(mtu)))
                    .orElseGet(() -> NetworkdFiles.mtuNetwork(header, name, mtu)));
            Optional<String> netdev = read(networkdDir, name + ".netdev");
            netdev.ifPresent(content -> files.put(name + ".netdev", NetworkdFiles.set(content, "NetDev", "MTUBytes", String.valueOf(mtu))));
            commands.add(List.of("ip", "link", "set", "dev", name, "mtu", String.valueOf(mtu)));
            nixos.append("  networking.interfaces.\"").append(name).append("\".mtu = ").append(mtu).append(";\n");
        }
        nixos.append("}\n");
        return new NetworkPlan(set, files, List.of(), commands, nixos.toString());
    }

    private static NetworkPlan bridgeRemove(BridgeRemove remove, HostNetwork host, Path networkdDir)
            throws IOException
    {
        String bridge = remove.bridge();
        NetworkInterface device = host.find(bridge).orElseThrow();
        List<NetworkInterface> ports = host.portsOf(bridge);
        Map<String, String> files = new LinkedHashMap<>();
        List<String> deletions = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        Optional<String> bridgeNetwork = read(networkdDir, bridge + ".network");
        for (String name : List.of(bridge + ".netdev", bridge + ".network")) {
            if (Files.exists(networkdDir.resolve(name))) {
                deletions.add(name);
            }
        }
        // With one port, the bridge's addressing goes back to it: the reverse of 'bridge create'.
        Optional<NetworkInterface> heir = ports.size() == 1 ? Optional.of(ports.get(0)) : Optional.empty();
        for (NetworkInterface port : ports) {
            commands.add(List.of("ip", "link", "set", "dev", port.name(), "nomaster"));
            Optional<String> portNetwork = read(networkdDir, port.name() + ".network");
            if (portNetwork.flatMap(content -> NetworkdFiles.get(content, "Network", "Bridge")).equals(Optional.of(bridge))) {
                if (heir.isPresent()) {
                    files.put(port.name() + ".network", heirNetwork(header(remove), port.name(), bridgeNetwork, portNetwork.get()));
                }
                else {
                    deletions.add(port.name() + ".network");
                }
            }
        }
        commands.add(List.of("ip", "link", "del", "dev", bridge));
        heir.ifPresent(port -> {
            device.addresses().forEach(address -> commands.add(List.of("ip", "address", "add", address, "dev", port.name())));
            host.defaultRoutesVia(bridge).forEach(route -> commands.add(List.of("ip", "route", "replace", "default", "via", route.gateway(), "dev", port.name())));
            host.staticRoutesVia(bridge).forEach(route -> commands.add(route.replaceOn(port.name())));
        });
        String nixos = "{\n  # delete networking.bridges.\"" + bridge + "\" and networking.interfaces.\"" + bridge + "\" from the configuration\n"
                + heir.map(port -> "  # and give networking.interfaces.\"" + port.name() + "\" the bridge's addresses\n").orElse("")
                + "}\n";
        return new NetworkPlan(remove, files, deletions, commands, nixos);
    }

    private static String heirNetwork(String header, String port, Optional<String> bridgeNetwork, String portNetwork)
    {
        StringBuilder text = new StringBuilder(header).append("[Match]\nName=").append(port).append("\n\n[Network]\n");
        bridgeNetwork.ifPresent(content -> NetworkdFiles.sectionLines(content, "Network").forEach(line -> text.append(line).append('\n')));
        NetworkdFiles.get(portNetwork, "Link", "MTUBytes").ifPresent(mtu -> text.append("\n[Link]\nMTUBytes=").append(mtu).append('\n'));
        return text.toString();
    }

    private static String header(NetworkChange change)
    {
        return "# Written by hyperops: network " + change.summary() + "\n";
    }

    private static Optional<String> read(Path folder, String name)
            throws IOException
    {
        Path file = folder.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }
}
