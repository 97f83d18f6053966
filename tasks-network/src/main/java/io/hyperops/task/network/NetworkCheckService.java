package io.hyperops.task.network;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.JobResult;
import io.hyperops.task.network.Probes.ProbeResult;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The {@code network-check} job's work: every expected bridge exists and is up, and every probe target
 * reached through an interface with an MTU above 1500 takes full-size don't-fragment pings. An MTU the
 * path does not take is a WARN: large frames would be dropped silently while small pings still pass.
 */
public final class NetworkCheckService
{
    private final InterfaceDiscovery discovery;
    private final Probes probes;
    private final NetworkChanges changes;

    @Inject
    public NetworkCheckService(InterfaceDiscovery discovery, Probes probes, NetworkChanges changes)
    {
        this.discovery = requireNonNull(discovery, "discovery is null");
        this.probes = requireNonNull(probes, "probes is null");
        this.changes = requireNonNull(changes, "changes is null");
    }

    public List<Finding> check(NetworkSettings settings)
            throws IOException, InterruptedException
    {
        // A revert the watchdog did while no hyperops process ran is audited here at the latest.
        Optional<String> reverted = changes.reconcile();
        HostNetwork host = discovery.read();
        List<Finding> findings = new ArrayList<>();
        reverted.ifPresent(message -> findings.add(new Finding("change", CheckStatus.WARN, message,
                Optional.of("see " + changes.openFolder().resolveSibling("history") + "; apply it again with 'hyperops network ...' and confirm it in time"))));
        List<String> expected = settings.bridges().isEmpty()
                ? host.interfaces().stream().filter(iface -> iface.isBridge() && !iface.hasVirtualName()).map(NetworkInterface::name).toList()
                : settings.bridges();
        for (String name : expected) {
            Optional<NetworkInterface> bridge = host.find(name);
            if (bridge.isEmpty()) {
                findings.add(new Finding("bridge " + name, CheckStatus.WARN, "bridge " + name + " does not exist", Optional.of("create it with: hyperops network bridge create --name " + name + " --iface IF ...")));
            }
            else if (!bridge.get().adminUp() || bridge.get().state().equals("DOWN")) {
                findings.add(new Finding("bridge " + name, CheckStatus.WARN, "bridge " + name + " is " + bridge.get().state(), Optional.of("ip link set dev " + name + " up; check its ports: hyperops network list --all")));
            }
            else {
                findings.add(new Finding("bridge " + name, CheckStatus.OK, "bridge " + name + " is " + bridge.get().state() + " (MTU " + bridge.get().mtu() + ")", Optional.empty()));
            }
        }
        Set<String> targets = new LinkedHashSet<>(settings.probeTargets());
        host.defaultRoutes().forEach(route -> targets.add(route.gateway()));
        for (String target : targets) {
            ProbeResult result = probes.probe(target, settings.probeTimeout());
            String name = "path " + target;
            if (!result.reachable()) {
                findings.add(new Finding(name, CheckStatus.WARN, result.message(), Optional.of("check the link and the address: hyperops network list --all")));
            }
            else if (!result.pathMtuPasses()) {
                findings.add(new Finding(name, CheckStatus.WARN, "MTU mismatch: " + result.message(), Optional.of(
                        "raise the MTU of every hop to " + result.mtu().orElse(MtuProfile.PERFORMANCE) + ", or lower this side with: hyperops network mtu set IF " + MtuProfile.STANDARD)));
            }
            else {
                findings.add(new Finding(name, CheckStatus.OK, result.message(), Optional.empty()));
            }
        }
        return findings;
    }

    public static JobResult result(List<Finding> findings)
    {
        CheckStatus worst = findings.stream().map(Finding::status).reduce(CheckStatus.OK, CheckStatus::worst);
        Map<String, Object> details = new LinkedHashMap<>();
        for (Finding finding : findings) {
            details.put(finding.name(), finding.status().jsonName() + ": " + finding.message() + finding.fix().map(fix -> " (fix: " + fix + ")").orElse(""));
        }
        List<String> problems = findings.stream().filter(finding -> finding.status() != CheckStatus.OK).map(Finding::message).toList();
        if (findings.isEmpty()) {
            return JobResult.success("no bridges and no probe targets to check", details);
        }
        return worst == CheckStatus.OK
                ? JobResult.success(findings.size() + " network checks passed", details)
                : JobResult.warning(String.join("; ", problems), details);
    }

    /** One result of network-check, with the fix where it is not OK. */
    public record Finding(String name, CheckStatus status, String message, Optional<String> fix)
    {
        public Finding
        {
            requireNonNull(name, "name is null");
            requireNonNull(status, "status is null");
            requireNonNull(message, "message is null");
            requireNonNull(fix, "fix is null");
        }
    }
}
