package io.hyperops.task.network;

import io.hyperops.spi.HostPaths;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingTextFiles;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The network task's services over one namespace, as the module wires them over the host. */
final class TestingNetwork
{
    final HostShell shell;
    final InterfaceDiscovery discovery;
    final Probes probes;
    final NetworkChanges changes;
    final NetworkCheckService check;
    final TestingAuditLog audit = new TestingAuditLog();
    final Path networkdDir;
    final Path stateDir;
    /** The names of the files written through the engine's atomic writes, in order. */
    final List<String> written = new CopyOnWriteArrayList<>();

    TestingNetwork(String namespace, Path folder)
    {
        shell = HostShell.namespace(namespace);
        discovery = new InterfaceDiscovery(shell);
        probes = new Probes(shell);
        stateDir = folder.resolve("state");
        networkdDir = folder.resolve("networkd");
        TestingTextFiles files = new TestingTextFiles();
        changes = new NetworkChanges(shell, discovery, probes, audit, Clock.systemUTC(), new HostPaths(folder.resolve("data"), stateDir, folder.resolve("logs")),
                (file, content) -> {
                    written.add(file.getFileName().toString());
                    files.write(file, content);
                });
        check = new NetworkCheckService(discovery, probes, changes);
    }

    NetworkSettings settings(Duration window, List<String> probeTargets)
    {
        return new NetworkSettings(networkdDir, window, probeTargets, Duration.ofSeconds(1), Duration.ofMillis(500), List.of());
    }

    NetworkCommand command(NetworkSettings settings)
    {
        return new NetworkCommand(discovery, changes, new TestingJobAccess().with(NetworkPlugin.CHECK_JOB, settings));
    }
}
