package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A separate JVM that applies a change cutting namespace a off its peer, so a test can kill it in the
 * confirmation window: arguments are the namespace, the test's folder, the window in seconds and the peer.
 */
final class ApplyInNamespace
{
    private ApplyInNamespace() {}

    public static void main(String[] arguments)
            throws Exception
    {
        TestingNetwork network = new TestingNetwork(arguments[0], Path.of(arguments[1]));
        BridgeCreate wrong = new BridgeCreate("hyperops0", "br0", "standard", new Addressing(Optional.of("10.99.0.1/24"), Optional.empty()));
        network.changes.apply(wrong, network.settings(Duration.ofSeconds(Long.parseLong(arguments[2])), List.of(arguments[3])), List.of(), new PrintWriter(System.out, true));
    }
}
