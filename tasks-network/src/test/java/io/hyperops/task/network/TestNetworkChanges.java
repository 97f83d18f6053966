package io.hyperops.task.network;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.network.ChangeReport.Outcome;
import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Real changes, applied with {@code ip} inside namespaces this test creates, kept or reverted for real. */
final class TestNetworkChanges
{
    private static final String LOCAL = "10.201.0.1/24";
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
    void jumboBridgeOverVethPassesDontFragmentPingsAndWritesTheGoldenFiles()
            throws Exception
    {
        namespaces.veth("hyperops0", "", 1500, "peer0", PEER + "/24", 9000);
        BridgeCreate change = new BridgeCreate("hyperops0", "brjumbo", "performance", new Addressing(Optional.of(LOCAL), Optional.empty()));

        ChangeReport report = network.changes.apply(change, network.settings(Duration.ofSeconds(20), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message() + " " + report.probes()).isEqualTo(Outcome.CONFIRMED_BY_PROBES);
        assertThat(report.probes()).singleElement().asString().contains("8972-byte don't-fragment pings pass (MTU 9000)");
        assertThat(namespaces.pingFromA(PEER, 8972, true)).isTrue();
        // one byte more than the path takes must not pass: the test can tell a jumbo path from a fragmenting one
        assertThat(namespaces.pingFromA(PEER, 8973, true)).isFalse();
        assertThat(namespaces.inA("ip", "-o", "link", "show", "dev", "hyperops0")).contains("master brjumbo").contains("mtu 9000");
        Golden.assertFolderMatches(network.networkdDir, "jumbo");
        assertThat(network.audit.outcomes()).containsExactly("applied", "confirmed");
        assertThat(network.changes.describePending()).isEmpty();
    }

    @Test
    void aWrongAddressIsRevertedWithinTheWindowAndConnectivityComesBack()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        // a management network behind the peer: the change's flush takes this route, the revert must bring it back
        namespaces.inA("ip", "route", "add", "10.88.0.0/16", "via", PEER, "dev", "hyperops0", "metric", "50");
        assertThat(namespaces.pingFromA(PEER, 56, false)).isTrue();
        String before = namespaces.stateOfA();
        assertThat(before).contains("10.88.0.0/16 via " + PEER + " dev hyperops0 metric 50");
        Files.createDirectories(network.networkdDir);
        Files.writeString(network.networkdDir.resolve("hyperops0.network"), "[Match]\nName=hyperops0\n\n[Network]\nAddress=" + LOCAL + "\n");
        BridgeCreate wrong = new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.99.0.1/24"), Optional.empty()));

        // the window starts before set-up (watchdog, fsyncs, ip netns exec), which must leave time for a probe round
        Duration window = Duration.ofSeconds(10);
        Instant start = Instant.now();
        ChangeReport report = network.changes.apply(wrong, network.settings(window, List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));
        Duration took = Duration.between(start, Instant.now());

        assertThat(report.outcome()).as(report.message()).isEqualTo(Outcome.REVERTED);
        assertThat(report.probes()).singleElement().asString().contains("does not answer");
        // at the deadline, not after the minute finish() waits for someone else's revert
        assertThat(took).isLessThan(window.plusSeconds(20));
        assertThat(namespaces.reachableFromA(PEER, Duration.ofSeconds(5))).isTrue();
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(network.networkdDir.resolve("br0.netdev")).doesNotExist();
        assertThat(network.networkdDir.resolve("br0.network")).doesNotExist();
        assertThat(network.networkdDir.resolve("hyperops0.network")).content().isEqualTo("[Match]\nName=hyperops0\n\n[Network]\nAddress=" + LOCAL + "\n");
        assertThat(network.audit.outcomes()).containsExactly("applied", "reverted");
    }

    @Test
    void aBridgeTakesOverThePortsAddressesAndItsStaticRoutes()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        namespaces.inA("ip", "route", "add", "10.88.0.0/16", "via", PEER, "dev", "hyperops0");
        // DHCP: the port's address moves to the bridge until a lease comes, and its routes with it
        BridgeCreate change = new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.empty(), Optional.empty()));

        ChangeReport report = network.changes.apply(change, network.settings(Duration.ofSeconds(10), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message() + " " + report.probes()).isEqualTo(Outcome.CONFIRMED_BY_PROBES);
        assertThat(namespaces.inA("ip", "-o", "-4", "address", "show", "dev", "br0")).contains(LOCAL);
        assertThat(namespaces.inA("ip", "route", "show", "10.88.0.0/16")).contains("via " + PEER + " dev br0");
    }

    @Test
    void aGatewayBehindAnotherInterfaceDoesNotKeepAChangeThatBrokeThisOne()
            throws Exception
    {
        // the default route leaves through the first pair; the change breaks the second, which the gateway never sees
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        namespaces.inA("ip", "route", "add", "default", "via", PEER, "dev", "hyperops0");
        namespaces.inA("ip", "link", "add", "hyperops1", "type", "veth", "peer", "name", "other1");
        namespaces.inA("ip", "link", "set", "dev", "hyperops1", "up");
        namespaces.inA("ip", "link", "set", "dev", "other1", "up");
        String before = namespaces.stateOfA();
        BridgeCreate wrong = new BridgeCreate("hyperops1", "br1", "standard", new Addressing(Optional.of("10.99.0.1/24"), Optional.empty()));

        ChangeReport report = network.changes.apply(wrong, network.settings(Duration.ofSeconds(3), List.of()), List.of(), new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.message() + " " + report.probes()).isEqualTo(Outcome.REVERTED);
        assertThat(namespaces.stateOfA()).isEqualTo(before);
    }

    @Test
    void confirmWithinTheWindowKeepsTheChange()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        // no probe targets: only the operator can keep it
        BridgeCreate change = new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.202.0.1/24"), Optional.empty()));
        // the window starts at set-up; the refused change and the confirm below must land in it however slow the machine
        NetworkSettings settings = network.settings(Duration.ofSeconds(30), List.of());

        CompletableFuture<ChangeReport> applying = CompletableFuture.supplyAsync(() -> {
            try {
                return network.changes.apply(change, settings, List.of(), new PrintWriter(new StringWriter()));
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(() -> network.changes.describePending().isPresent(), Duration.ofSeconds(10));
        ChangeReport second = network.changes.apply(new NetworkChange.MtuSet("hyperops0", "1400"), settings, List.of(), new PrintWriter(new StringWriter()));
        assertThat(second.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(second.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.reason()).isEqualTo("another change is waiting for confirmation (bridge create br0 over hyperops0 (mtu standard, address 10.202.0.1/24))");
            assertThat(refusal.fix()).contains("hyperops network confirm");
        });
        // set up by now: the refused change waited for the lock the set-up held until its watchdog ran
        long watchdog = Long.parseLong(Files.readString(network.changes.openFolder().resolve(PendingChange.WATCHDOG_PID)).strip());
        StringWriter confirmOutput = new StringWriter();
        int confirmExit = network.command(settings).run(List.of("confirm"), new PrintWriter(confirmOutput), new PrintWriter(confirmOutput));
        ChangeReport report = applying.get();
        // gone, whether stopped by the confirm or at its deadline: a revert it was still to run would have run by now
        Await.until(() -> ProcessHandle.of(watchdog).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE, Duration.ofSeconds(60));

        assertThat(confirmExit).as(confirmOutput.toString()).isZero();
        assertThat(report.outcome()).isEqualTo(Outcome.CONFIRMED_BY_OPERATOR);
        assertThat(namespaces.inA("ip", "-o", "address", "show", "dev", "br0")).contains("10.202.0.1/24");
        assertThat(network.networkdDir.resolve("br0.netdev")).exists();
        assertThat(network.audit.outcomes()).containsExactly("applied", "refused", "confirmed");
        int again = network.command(settings).run(List.of("confirm"), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(again).isEqualTo(NetworkCommand.NOTHING_TO_CONFIRM);
    }

    @Test
    void aPendingChangeIsRevertedWhenTheProcessThatAppliedItIsKilled()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        String before = namespaces.stateOfA();
        // a window set-up cannot eat: the child must still be in it when it is killed, or it reverts the change itself
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ApplyInNamespace.class.getName(), namespaces.a(), folder.toString(), "10", PEER)
                .redirectErrorStream(true)
                .start();
        try {
            String output = Await.line(child.getInputStream(), "Applied:", Duration.ofSeconds(30));
            assertThat(output).contains("Applied: bridge create br0 over hyperops0");
            assertThat(namespaces.pingFromA(PEER, 56, false)).isFalse();
            child.destroyForcibly().waitFor();

            Await.until(() -> namespaces.pingFromA(PEER, 56, false), Duration.ofSeconds(30));
            // the ping passes half-way through the revert script; 'reverted' comes after its last step, a sync and a rename
            Await.until(() -> Files.exists(network.changes.openFolder().resolve(PendingChange.REVERTED)), Duration.ofSeconds(15));
        }
        finally {
            child.destroyForcibly();
        }
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(network.networkdDir.resolve("br0.netdev")).doesNotExist();
        // network-check (or the daemon's NetworkRecovery, or the next change) settles, audits and reports what the watchdog did
        List<NetworkCheckService.Finding> findings = network.check.check(network.settings(Duration.ofSeconds(5), List.of()));
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.status()).isEqualTo(CheckStatus.WARN);
            assertThat(finding.message()).startsWith("network bridge create br0 over hyperops0 (mtu standard, address 10.99.0.1/24) was reverted (0 ").contains("watchdog");
        });
        assertThat(network.check.check(network.settings(Duration.ofSeconds(5), List.of()))).isEmpty();
        assertThat(network.audit.events()).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("reverted");
            assertThat((String) event.details().get("result")).startsWith("0 ").endsWith("watchdog");
        });
    }

    @Test
    void aPendingChangeWhoseWatchdogDiedWithTheHostIsRevertedAtTheNextStart()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        String before = namespaces.stateOfA();
        // A reboot ends the watchdog's sleep as it ends everything else.
        Path open = applyThenKillApplierAndWatchdog();
        assertThat(namespaces.pingFromA(PEER, 56, false)).isFalse();

        new NetworkRecovery(network.changes).start();

        assertThat(namespaces.reachableFromA(PEER, Duration.ofSeconds(5))).isTrue();
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(open).doesNotExist();
        assertThat(network.audit.events()).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("reverted");
            assertThat((String) event.details().get("result")).startsWith("0 ").endsWith("hyperops (overdue)");
        });
    }

    @Test
    void aRevertCutOffHalfWayIsRunAgainAndSettled()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        String before = namespaces.stateOfA();
        Path open = applyThenKillApplierAndWatchdog();
        // what a revert killed before it finished leaves: the change claimed for reverting, never marked reverted
        Files.move(open.resolve("pending"), open.resolve("reverting"));
        assertThat(namespaces.pingFromA(PEER, 56, false)).isFalse();

        network.changes.reconcile();

        assertThat(namespaces.reachableFromA(PEER, Duration.ofSeconds(5))).isTrue();
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(open).doesNotExist();
        assertThat(network.audit.events()).singleElement().satisfies(event -> {
            assertThat(event.outcome()).isEqualTo("reverted");
            assertThat((String) event.details().get("result")).startsWith("0 ").endsWith("hyperops (resumed)");
        });
    }

    /** A separate JVM applies a breaking change with a long window; it and its watchdog are then killed. @return the open change's folder */
    private Path applyThenKillApplierAndWatchdog()
            throws Exception
    {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ApplyInNamespace.class.getName(), namespaces.a(), folder.toString(), "600", PEER)
                .redirectErrorStream(true)
                .start();
        try {
            Await.line(child.getInputStream(), "Applied:", Duration.ofSeconds(30));
            child.destroyForcibly().waitFor();
        }
        finally {
            child.destroyForcibly();
        }
        Path open = network.stateDir.resolve("network").resolve("open");
        long watchdog = Long.parseLong(Files.readString(open.resolve("watchdog.pid")).strip());
        ProcessHandle.of(watchdog).ifPresent(handle -> {
            // the watchdog first: killed after its sleep, it would go on to its revert before dying itself
            List<ProcessHandle> children = handle.descendants().toList();
            handle.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        });
        Await.until(() -> ProcessHandle.of(watchdog).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE, Duration.ofSeconds(10));
        return open;
    }

    @Test
    void anInterruptedSetUpIsDropped()
            throws Exception
    {
        namespaces.veth("hyperops0", LOCAL, 1500, "peer0", PEER + "/24", 1500);
        Path open = network.stateDir.resolve("network").resolve("open");
        Files.createDirectories(open);

        network.changes.reconcile();

        assertThat(open).doesNotExist();
        assertThat(network.audit.events()).isEmpty();
    }
}
