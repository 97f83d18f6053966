package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;
import io.hyperops.task.network.NetworkChange.BridgeRemove;
import io.hyperops.task.network.NetworkChange.MtuSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Refuses what the seed's bridge helper only warned about: a missing, enslaved or bridge interface, a
 * bad or taken bridge name, an MTU the driver does not accept. Every problem is listed, each with its fix.
 */
public final class ChangeValidator
{
    /** The seed's pattern; the kernel also limits names to 15 bytes (IFNAMSIZ). */
    private static final Pattern BRIDGE_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,15}");
    private static final String LIST = "see the interfaces with: hyperops network list --all";

    private ChangeValidator() {}

    public static List<Refusal> check(NetworkChange change, HostNetwork host, Path networkdDir)
    {
        List<Refusal> refusals = new ArrayList<>();
        if (change instanceof BridgeCreate create) {
            bridgeCreate(create, host, networkdDir, refusals);
        }
        else if (change instanceof BridgeRemove remove) {
            bridgeRemove(remove, host, refusals);
        }
        else if (change instanceof MtuSet set) {
            mtuSet(set, host, refusals);
            // the MTU goes into each one's .network file: one that another file shadows would not keep it
            host.portsOf(set.iface()).forEach(port -> shadowed(port.name(), networkdDir, refusals));
            shadowed(set.iface(), networkdDir, refusals);
        }
        return List.copyOf(refusals);
    }

    private static void bridgeCreate(BridgeCreate create, HostNetwork host, Path networkdDir, List<Refusal> refusals)
    {
        Optional<NetworkInterface> iface = host.find(create.iface());
        if (iface.isEmpty()) {
            refusals.add(new Refusal("interface '" + create.iface() + "' does not exist", LIST));
        }
        iface.flatMap(NetworkInterface::master).ifPresent(master -> refusals.add(new Refusal(
                "interface '" + create.iface() + "' is already a port of bridge '" + master + "'",
                "use bridge '" + master + "' as it is, or remove it first with: hyperops network bridge remove " + master)));
        iface.filter(NetworkInterface::isBridge).ifPresent(bridge -> refusals.add(new Refusal(
                "interface '" + create.iface() + "' is itself a bridge",
                "name the physical interface to put under a new bridge; " + LIST)));

        if (!BRIDGE_NAME.matcher(create.bridge()).matches()) {
            refusals.add(new Refusal(
                    "bridge name '" + create.bridge() + "' is not 1 to 15 letters, digits, '_' or '-'",
                    "choose a name such as br0"));
        }
        else if (host.find(create.bridge()).isPresent()) {
            refusals.add(new Refusal("bridge name '" + create.bridge() + "' is taken by an existing interface", "choose another name, e.g. " + freeName(host)));
        }
        else if (Files.exists(networkdDir.resolve(create.bridge() + ".netdev"))) {
            refusals.add(new Refusal(
                    "bridge name '" + create.bridge() + "' is taken by " + networkdDir.resolve(create.bridge() + ".netdev"),
                    "choose another name, or delete that file if it is left over"));
        }
        iface.ifPresent(found -> mtu(create.mtu(), found, refusals));
        addressing(create.addressing(), refusals);
        shadowed(create.iface(), networkdDir, refusals);
        shadowed(create.bridge(), networkdDir, refusals);
    }

    /**
     * systemd-networkd gives an interface the first {@code .network} file, by file name, whose
     * {@code [Match] Name=} takes it: one that sorts before the {@code <name>.network} hyperops writes
     * (a netplan {@code 10-netplan-eno1.network}, say) would win at the next boot, and the bridge would
     * come up without its port. Read in the configured folder and, for the standard one, in networkd's
     * other folders too.
     */
    private static void shadowed(String name, Path networkdDir, List<Refusal> refusals)
    {
        String ours = name + ".network";
        List<Path> folders = new ArrayList<>(List.of(networkdDir));
        if (networkdDir.equals(Path.of("/etc/systemd/network"))) {
            folders.addAll(List.of(Path.of("/run/systemd/network"), Path.of("/usr/lib/systemd/network"), Path.of("/lib/systemd/network")));
        }
        for (Path folder : folders) {
            for (Path file : NetworkdFiles.networkFiles(folder)) {
                String fileName = file.getFileName().toString();
                if (fileName.compareTo(ours) < 0 && NetworkdFiles.matchesName(file, name)) {
                    refusals.add(new Refusal(
                            file + " matches '" + name + "' and sorts before " + ours + ", so systemd-networkd would use it, not hyperops' file, at the next boot",
                            "fold what it sets into a plan of hyperops' own and remove it, or change its [Match] so it no longer takes '" + name + "'"));
                }
            }
        }
    }

    private static void bridgeRemove(BridgeRemove remove, HostNetwork host, List<Refusal> refusals)
    {
        Optional<NetworkInterface> bridge = host.find(remove.bridge());
        if (bridge.isEmpty()) {
            refusals.add(new Refusal("bridge '" + remove.bridge() + "' does not exist", LIST));
        }
        else if (!bridge.get().isBridge()) {
            refusals.add(new Refusal("interface '" + remove.bridge() + "' is not a bridge", "name a bridge; " + LIST));
        }
    }

    private static void mtuSet(MtuSet set, HostNetwork host, List<Refusal> refusals)
    {
        Optional<NetworkInterface> iface = host.find(set.iface());
        if (iface.isEmpty()) {
            refusals.add(new Refusal("interface '" + set.iface() + "' does not exist", LIST));
            return;
        }
        mtu(set.mtu(), iface.get(), refusals);
        // a bridge's ports take the MTU first; one whose driver refuses it would fail the change mid-way
        host.portsOf(set.iface()).forEach(port -> mtu(set.mtu(), port, refusals));
    }

    private static void mtu(String requested, NetworkInterface iface, List<Refusal> refusals)
    {
        OptionalInt mtu = MtuProfile.parse(requested);
        if (mtu.isEmpty()) {
            refusals.add(new Refusal(
                    "MTU '" + requested + "' is neither a profile nor a number",
                    "use standard (" + MtuProfile.STANDARD + "), performance (" + MtuProfile.PERFORMANCE + ") or a number; " + MtuProfile.TUNNEL + " suits VLANs and tunnels"));
            return;
        }
        if (iface.maxMtu() > 0 && (mtu.getAsInt() < iface.minMtu() || mtu.getAsInt() > iface.maxMtu())) {
            refusals.add(new Refusal(
                    "MTU " + mtu.getAsInt() + " is outside what the driver of '" + iface.name() + "' (" + iface.driver() + ") accepts: " + iface.minMtu() + " to " + iface.maxMtu(),
                    "choose an MTU from " + iface.minMtu() + " to " + iface.maxMtu() + "; standard is " + MtuProfile.STANDARD + ", " + MtuProfile.TUNNEL + " suits VLANs and tunnels"));
        }
    }

    private static void addressing(Addressing addressing, List<Refusal> refusals)
    {
        if (addressing.address().isEmpty()) {
            if (addressing.gateway().isPresent()) {
                refusals.add(new Refusal("a gateway was given without an address", "add --address CIDR, or use --dhcp alone"));
            }
            return;
        }
        String cidr = addressing.address().get();
        if (!IpAddresses.isCidr(cidr)) {
            refusals.add(new Refusal("address '" + cidr + "' is not ADDRESS/PREFIX", "write it like 192.168.1.10/24"));
            return;
        }
        addressing.gateway().ifPresent(gateway -> {
            if (IpAddresses.literal(gateway).isEmpty()) {
                refusals.add(new Refusal("gateway '" + gateway + "' is not an IP address", "write it like 192.168.1.1"));
            }
            else if (!IpAddresses.inNetwork(gateway, cidr)) {
                refusals.add(new Refusal(
                        "gateway " + gateway + " is outside the network of " + cidr + ", so it could not be reached",
                        "check the address and its prefix length, or the gateway"));
            }
        });
    }

    private static String freeName(HostNetwork host)
    {
        for (int index = 0; ; index++) {
            if (host.find("br" + index).isEmpty()) {
                return "br" + index;
            }
        }
    }
}
