package io.hyperops.task.network;

import io.hyperops.task.network.ChangeReport.Outcome;
import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;
import io.hyperops.task.network.NetworkChange.BridgeRemove;
import io.hyperops.task.network.NetworkChange.MtuSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each invalid input, against real interfaces in a namespace: refused with reason and fix, nothing changed. */
final class TestNetworkValidation
{
    @TempDir
    Path folder;

    private TestingNamespaces namespaces;
    private TestingNetwork network;

    @BeforeEach
    void createNamespaces()
            throws Exception
    {
        namespaces = TestingNamespaces.create();
        network = new TestingNetwork(namespaces.a(), folder);
        namespaces.veth("hyperops0", "10.201.0.1/24", 1500, "peer0", "10.201.0.2/24", 1500);
        namespaces.veth("hyperops1", "", 1500, "peer1", "", 1500);
        namespaces.inA("ip", "link", "add", "brtaken", "type", "bridge");
        namespaces.inA("ip", "link", "set", "dev", "hyperops1", "master", "brtaken");
        Files.createDirectories(network.networkdDir);
        Files.writeString(network.networkdDir.resolve("brfile.netdev"), "[NetDev]\nName=brfile\nKind=bridge\n");
    }

    @AfterEach
    void deleteNamespaces()
            throws Exception
    {
        namespaces.close();
    }

    @Test
    void everyInvalidInputIsRefusedWithItsReasonAndFixAndNothingChanges()
            throws Exception
    {
        refused(create("nosuch0", "br0", "standard"), "interface 'nosuch0' does not exist", "hyperops network list --all");
        refused(create("hyperops1", "br0", "standard"), "already a port of bridge 'brtaken'", "hyperops network bridge remove brtaken");
        refused(create("brtaken", "br0", "standard"), "is itself a bridge", "physical interface");
        refused(create("hyperops0", "br 0!", "standard"), "bridge name 'br 0!' is not", "such as br0");
        refused(create("hyperops0", "bridge-name-too-long", "standard"), "is not 1 to 15 letters", "such as br0");
        refused(create("hyperops0", "brtaken", "standard"), "taken by an existing interface", "choose another name, e.g. br0");
        refused(create("hyperops0", "brfile", "standard"), "taken by " + network.networkdDir.resolve("brfile.netdev"), "left over");
        refused(create("hyperops0", "br0", "70000"), "MTU 70000 is outside what the driver of 'hyperops0' (veth) accepts: 68 to 65535", "choose an MTU from 68 to 65535");
        refused(create("hyperops0", "br0", "60"), "MTU 60 is outside", "1450 suits VLANs and tunnels");
        refused(create("hyperops0", "br0", "huge"), "MTU 'huge' is neither a profile nor a number", "standard (1500), performance (9000)");
        refused(new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.1.0.5/24"), Optional.of("10.2.0.1"))), "outside the network of 10.1.0.5/24", "check the address");
        refused(new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.1.0.5"), Optional.empty())), "is not ADDRESS/PREFIX", "192.168.1.10/24");
        refused(new MtuSet("hyperops0", "65536"), "MTU 65536 is outside", "68 to 65535");
        refused(new MtuSet("nosuch0", "1500"), "interface 'nosuch0' does not exist", "list --all");
        refused(new BridgeRemove("hyperops0"), "'hyperops0' is not a bridge", "name a bridge");
        refused(new BridgeRemove("nosuch0"), "bridge 'nosuch0' does not exist", "list --all");
        assertThat(network.audit.outcomes()).hasSize(16).containsOnly("refused");
    }

    @Test
    void theCommandPrintsReasonAndFixAndExitsTwo()
            throws Exception
    {
        String before = namespaces.stateOfA();
        StringWriter output = new StringWriter();

        int exitCode = network.command(network.settings(Duration.ofSeconds(5), List.of()))
                .run(List.of("bridge", "create", "--iface", "hyperops0", "--name", "br0", "--mtu", "70000"), new PrintWriter(output), new PrintWriter(output));

        assertThat(exitCode).isEqualTo(2);
        assertThat(output.toString()).contains("refused: bridge create br0 over hyperops0")
                .contains("MTU 70000 is outside what the driver of 'hyperops0' (veth) accepts: 68 to 65535")
                .contains("fix: choose an MTU from 68 to 65535");
        assertThat(namespaces.stateOfA()).isEqualTo(before);
    }

    private void refused(NetworkChange change, String reason, String fix)
            throws Exception
    {
        String before = namespaces.stateOfA();
        List<String> filesBefore = files();

        ChangeReport report = network.changes.apply(change, network.settings(Duration.ofSeconds(5), List.of()), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(change.summary()).isEqualTo(Outcome.REFUSED);
        assertThat(report.refusals()).as(change.summary()).anySatisfy(refusal -> {
            assertThat(refusal.reason()).contains(reason);
            assertThat(refusal.fix()).contains(fix);
        });
        assertThat(namespaces.stateOfA()).as(change.summary()).isEqualTo(before);
        assertThat(files()).as(change.summary()).isEqualTo(filesBefore);
        assertThat(network.changes.describePending()).isEmpty();
        assertThat(network.stateDir.resolve("network").resolve("open")).doesNotExist();
    }

    private List<String> files()
            throws Exception
    {
        try (Stream<Path> files = Files.list(network.networkdDir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    private static BridgeCreate create(String iface, String bridge, String mtu)
    {
        return new BridgeCreate(iface, bridge, mtu, Addressing.dhcp());
    }
}
