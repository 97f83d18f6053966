package io.hyperops.task.network;

import io.hyperops.task.network.ChangeReport.Outcome;
import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Figures for scripts/bench-network.sh, in namespaces it creates and deletes: discovery time, time from
 * apply to a change kept by its probes, and time from the deadline of a breaking change until the peer
 * answers again. Arguments: {@code discovery|keep|revert RUNS}.
 */
final class NetworkBenchmark
{
    private static final String PEER = "10.201.0.2";

    private NetworkBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        String what = arguments[0];
        int runs = Integer.parseInt(arguments[1]);
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path folder = Files.createTempDirectory("hyperops-net-bench");
            try (TestingNamespaces namespaces = TestingNamespaces.create()) {
                TestingNetwork network = new TestingNetwork(namespaces.a(), folder);
                millis.add(switch (what) {
                    case "discovery" -> discovery(namespaces, network);
                    case "keep" -> keep(namespaces, network);
                    case "revert" -> revert(namespaces, network);
                    default -> throw new IllegalArgumentException("discovery, keep or revert, not " + what);
                });
            }
            finally {
                PendingChange.deleteTree(folder);
            }
        }
        millis.sort(Long::compare);
        System.out.printf("%s: runs %d, median %d ms, p95 %d ms, max %d ms%n",
                what, runs, millis.get(runs / 2), millis.get(Math.min(runs - 1, (int) Math.ceil(runs * 0.95) - 1)), millis.get(runs - 1));
    }

    /** One {@code network list}'s worth of reading, over 20 interfaces. */
    private static long discovery(TestingNamespaces namespaces, TestingNetwork network)
            throws Exception
    {
        for (int index = 0; index < 10; index++) {
            namespaces.veth("hyperops" + index, "10.201." + index + ".1/24", 1500, "peer" + index, "", 1500);
        }
        long start = System.nanoTime();
        HostNetwork host = network.discovery.read();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (host.interfaces().size() != 11) {
            throw new IllegalStateException("expected 11 interfaces, read " + host.interfaces().size());
        }
        return elapsed;
    }

    /** Apply a jumbo bridge until its probes keep it: save, watchdog, files, ip, DF probes. */
    private static long keep(TestingNamespaces namespaces, TestingNetwork network)
            throws Exception
    {
        namespaces.veth("hyperops0", "", 1500, "peer0", PEER + "/24", 9000);
        BridgeCreate change = new BridgeCreate("hyperops0", "br0", "performance", new Addressing(Optional.of("10.201.0.1/24"), Optional.empty()));
        long start = System.nanoTime();
        ChangeReport report = network.changes.apply(change, network.settings(Duration.ofSeconds(30), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (report.outcome() != Outcome.CONFIRMED_BY_PROBES) {
            throw new IllegalStateException(report.message());
        }
        return elapsed;
    }

    /** From the deadline of a change that cuts the peer off until the peer answers again. */
    private static long revert(TestingNamespaces namespaces, TestingNetwork network)
            throws Exception
    {
        namespaces.veth("hyperops0", "10.201.0.1/24", 1500, "peer0", PEER + "/24", 1500);
        BridgeCreate wrong = new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.99.0.1/24"), Optional.empty()));
        long start = System.nanoTime();
        ChangeReport report = network.changes.apply(wrong, network.settings(Duration.ofSeconds(1), List.of(PEER)), List.of(), new PrintWriter(new StringWriter()));
        if (report.outcome() != Outcome.REVERTED) {
            throw new IllegalStateException(report.message());
        }
        Await.until(() -> namespaces.pingFromA(PEER, 56, false), Duration.ofSeconds(10));
        // the window is one second from the start of apply
        return (System.nanoTime() - start) / 1_000_000 - 1000;
    }
}
