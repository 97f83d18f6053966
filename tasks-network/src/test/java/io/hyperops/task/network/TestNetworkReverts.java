package io.hyperops.task.network;

import io.hyperops.task.network.ChangeReport.Outcome;
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

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mtu set} and {@code bridge remove}, applied and reverted for real inside namespaces. */
final class TestNetworkReverts
{
    private static final String PEER = "10.201.0.2";

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
    }

    @AfterEach
    void deleteNamespaces()
            throws Exception
    {
        namespaces.close();
    }

    @Test
    void aJumboMtuThePeerDoesNotTakeFailsThePathProbeAndIsReverted()
            throws Exception
    {
        namespaces.veth("hyperops0", "10.201.0.1/24", 1500, "peer0", PEER + "/24", 1500);
        // an MTU change moves no address: its revert must not flush the interface and lose this route
        namespaces.inA("ip", "route", "add", "10.88.0.0/16", "via", PEER, "dev", "hyperops0");
        String before = namespaces.stateOfA();

        // the window starts before set-up (watchdog, fsyncs, ip netns exec), which must leave time for a probe round
        ChangeReport report = network.changes.apply(new MtuSet("hyperops0", "performance"), network.settings(Duration.ofSeconds(10), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message()).isEqualTo(Outcome.REVERTED);
        // small pings passed all along: only the don't-fragment probe saw that the path takes no jumbo frames
        assertThat(report.probes()).singleElement().asString().contains("answers, but 8972-byte don't-fragment pings do not pass");
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(network.networkdDir.resolve("hyperops0.network")).doesNotExist();
    }

    @Test
    void aJumboMtuThePeerTakesIsKeptByTheProbes()
            throws Exception
    {
        namespaces.veth("hyperops0", "10.201.0.1/24", 1500, "peer0", PEER + "/24", 9000);

        ChangeReport report = network.changes.apply(new MtuSet("hyperops0", "9000"), network.settings(Duration.ofSeconds(10), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message()).isEqualTo(Outcome.CONFIRMED_BY_PROBES);
        assertThat(namespaces.inA("ip", "-o", "link", "show", "dev", "hyperops0")).contains("mtu 9000");
        assertThat(network.networkdDir.resolve("hyperops0.network")).content().contains("[Link]\nMTUBytes=9000\n");
    }

    @Test
    void removingABridgeMovesItsAddressAndRouteToThePortAndTheGatewayProbeKeepsIt()
            throws Exception
    {
        bridgeWithGateway();

        // kept at the first passing probe: a window set-up cannot eat costs nothing
        ChangeReport report = network.changes.apply(new BridgeRemove("br0"), network.settings(Duration.ofSeconds(10), List.of()), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message()).isEqualTo(Outcome.CONFIRMED_BY_PROBES);
        assertThat(namespaces.inA("ip", "-o", "-4", "address", "show", "dev", "hyperops0")).contains("10.201.0.1/24");
        assertThat(namespaces.inA("ip", "route", "show", "default")).contains("via " + PEER + " dev hyperops0");
        assertThat(namespaces.inA("ip", "route", "show", "10.88.0.0/16")).contains("via " + PEER + " dev hyperops0");
        assertThat(namespaces.inA("ip", "link", "show")).doesNotContain("br0");
        assertThat(network.networkdDir.resolve("br0.netdev")).doesNotExist();
    }

    @Test
    void anUnconfirmedBridgeRemovalBringsTheBridgeBackWithItsPortAddressAndRoute()
            throws Exception
    {
        bridgeWithGateway();
        String before = namespaces.stateOfA();

        // an extra target nobody answers: the probes cannot pass, and nobody confirms
        ChangeReport report = network.changes.apply(new BridgeRemove("br0"), network.settings(Duration.ofSeconds(3), List.of()), List.of("10.201.0.99"), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message()).isEqualTo(Outcome.REVERTED);
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(namespaces.reachableFromA(PEER, Duration.ofSeconds(5))).isTrue();
        assertThat(network.networkdDir.resolve("br0.netdev")).content().isEqualTo("[NetDev]\nName=br0\nKind=bridge\n");
        assertThat(network.audit.outcomes()).containsExactly("applied", "reverted");
        // everything the revert reads is written atomically and durably, and 'pending' only once the rest is there
        assertThat(network.written).containsSubsequence("summary", "revert.sh", "watchdog.sh", "pending");
        assertThat(network.written.indexOf("pending")).isGreaterThan(network.written.indexOf("revert.sh"));
    }

    private void bridgeWithGateway()
            throws Exception
    {
        namespaces.veth("hyperops0", "", 1500, "peer0", PEER + "/24", 1500);
        namespaces.inA("ip", "link", "add", "br0", "type", "bridge");
        namespaces.inA("ip", "link", "set", "dev", "hyperops0", "master", "br0");
        namespaces.inA("ip", "link", "set", "dev", "br0", "up");
        namespaces.inA("ip", "address", "add", "10.201.0.1/24", "dev", "br0");
        namespaces.inA("ip", "route", "add", "default", "via", PEER);
        namespaces.inA("ip", "route", "add", "10.88.0.0/16", "via", PEER, "dev", "br0");
        Files.createDirectories(network.networkdDir);
        Files.writeString(network.networkdDir.resolve("br0.netdev"), "[NetDev]\nName=br0\nKind=bridge\n");
        Await.until(() -> namespaces.pingFromA(PEER, 56, false), Duration.ofSeconds(10));
    }
}
