package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;
import io.hyperops.task.network.NetworkChange.BridgeRemove;
import io.hyperops.task.network.NetworkChange.MtuSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Plans against golden files: the seed's networkd format, the live commands and the NixOS snippet. */
final class TestNetworkPlanner
{
    private static final String SEED_NETDEV = "[NetDev]\nName=br0\nKind=bridge\nMTUBytes=1500\n\n[Bridge]\nSTP=no\n";
    private static final String SEED_BRIDGE_NETWORK = "[Match]\nName=br0\n\n[Network]\nDHCP=yes\n";
    private static final String SEED_PORT_NETWORK = "[Match]\nName=eno1\n\n[Network]\nBridge=br0\n\n[Link]\nMTUBytes=1500\n";

    @TempDir
    Path networkd;

    @Test
    void bridgeWithDhcpTakesOverThePortsAddressAndRoute()
            throws Exception
    {
        NetworkPlan plan = NetworkPlanner.plan(new BridgeCreate("eno1", "br0", "standard", Addressing.dhcp()), TestingHosts.plainHost(), networkd);

        assertMatches(plan, "dhcp");
    }

    @Test
    void bridgeWithStaticAddressAndJumboFrames()
            throws Exception
    {
        Addressing fixed = new Addressing(Optional.of("192.168.1.20/24"), Optional.of("192.168.1.1"));

        NetworkPlan plan = NetworkPlanner.plan(new BridgeCreate("eno1", "br0", "9000", fixed), TestingHosts.plainHost(), networkd);

        assertMatches(plan, "static");
    }

    @Test
    void mtuOfABridgeGoesToItsPortsFirstAndEditsTheExistingFiles()
            throws Exception
    {
        seedFiles();

        NetworkPlan plan = NetworkPlanner.plan(new MtuSet("br0", "performance"), TestingHosts.bridgedHost(1500), networkd);

        assertMatches(plan, "mtu");
    }

    @Test
    void removingABridgeWithOnePortGivesItsAddressingBack()
            throws Exception
    {
        seedFiles();

        NetworkPlan plan = NetworkPlanner.plan(new BridgeRemove("br0"), TestingHosts.bridgedHost(1500), networkd);

        assertThat(plan.deletions()).containsExactly("br0.netdev", "br0.network");
        assertMatches(plan, "remove");
    }

    @Test
    void theDryRunTextShowsFilesCommandsAndNixos()
            throws Exception
    {
        NetworkPlan plan = NetworkPlanner.plan(new BridgeCreate("eno1", "br0", "standard", Addressing.dhcp()), TestingHosts.plainHost(), networkd);

        String text = NetworkText.plan(plan, "/etc/systemd/network");

        assertThat(text)
                .contains("--- br0.netdev ---\n# Written by hyperops")
                .contains("Live commands:\n  ip link add name br0 type bridge stp_state 0\n")
                .contains("NixOS (configuration.nix):\n{\n  networking.bridges.\"br0\".interfaces = [ \"eno1\" ];");
    }

    private void seedFiles()
            throws Exception
    {
        Files.writeString(networkd.resolve("br0.netdev"), SEED_NETDEV);
        Files.writeString(networkd.resolve("br0.network"), SEED_BRIDGE_NETWORK);
        Files.writeString(networkd.resolve("eno1.network"), SEED_PORT_NETWORK);
    }

    /** Applies the plan's files to the folder as apply does, then compares everything with the golden copies. */
    private void assertMatches(NetworkPlan plan, String golden)
            throws Exception
    {
        for (Map.Entry<String, String> file : plan.files().entrySet()) {
            Files.writeString(networkd.resolve(file.getKey()), file.getValue());
        }
        for (String name : plan.deletions()) {
            Files.delete(networkd.resolve(name));
        }
        Golden.assertFolderMatches(networkd, golden);
        assertThat(plan.commands().stream().map(command -> String.join(" ", command)).collect(Collectors.joining("\n", "", "\n")))
                .isEqualTo(Golden.read(golden + "/commands"));
        assertThat(plan.nixos()).isEqualTo(Golden.read(golden + "/nixos.nix"));
    }
}
