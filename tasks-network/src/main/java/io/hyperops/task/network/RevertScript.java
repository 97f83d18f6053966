package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.BridgeCreate;
import io.hyperops.task.network.NetworkChange.BridgeRemove;
import io.hyperops.task.network.NetworkChange.MtuSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shell script that puts back the files and live state saved before a change. It is written before
 * the change is applied and is the only way a change is undone, whether hyperops or its watchdog runs
 * it, so both undo the same thing. Plain {@code sh} and {@code ip}: it must work when the JVM is gone.
 */
final class RevertScript
{
    private RevertScript() {}

    /**
     * @param before the host as it was before the change
     * @param backups the folder holding copies of the files the change replaces
     */
    static String render(NetworkPlan plan, HostNetwork before, List<String> prefix, Path networkdDir, Path backups, Set<String> existingFiles)
    {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/sh");
        lines.add("# Reverts: network " + plan.change().summary());
        lines.add("# Each step runs even when one before it fails: most of the old state beats stopping half-way.");
        lines.add("status=0");
        lines.add("step() { \"$@\" || { echo \"failed: $*\" >&2; status=1; }; }");
        for (String name : plan.touchedFiles()) {
            Path target = networkdDir.resolve(name);
            if (existingFiles.contains(name)) {
                Path temporary = networkdDir.resolve("." + name + ".hyperops-revert");
                lines.add("step cp -p " + quote(backups.resolve(name)) + " " + quote(temporary));
                lines.add("step mv -f " + quote(temporary) + " " + quote(target));
            }
            else {
                lines.add("step rm -f " + quote(target));
            }
        }
        // the restored files must outlive a power cut before 'reverted' says so, as the change's own writes do
        for (String name : plan.touchedFiles()) {
            if (existingFiles.contains(name)) {
                lines.add("step sync " + quote(networkdDir.resolve(name)));
            }
        }
        lines.add("[ -d " + quote(networkdDir) + " ] && step sync " + quote(networkdDir));
        String ip = prefix.stream().map(RevertScript::quote).reduce("", (left, right) -> left + right + " ") + "ip";
        List<NetworkInterface> existed = new ArrayList<>();
        for (String name : affected(plan.change(), before)) {
            Optional<NetworkInterface> old = before.find(name);
            if (old.isPresent()) {
                existed.add(old.get());
            }
            else {
                lines.add(ip + " link show dev " + quote(name) + " >/dev/null 2>&1 && step " + ip + " link del dev " + quote(name));
            }
        }
        // Ports before bridges: a bridge is re-created before its ports re-join it, and takes its MTU last.
        existed.sort(Comparator.comparing(NetworkInterface::isBridge));
        for (NetworkInterface old : existed) {
            if (old.isBridge()) {
                lines.add(ip + " link show dev " + quote(old.name()) + " >/dev/null 2>&1 || step " + ip + " link add name " + quote(old.name()) + " type bridge stp_state 0");
            }
        }
        for (NetworkInterface old : existed) {
            lines.add("step " + ip + " link set dev " + quote(old.name()) + " mtu " + old.mtu());
            lines.add("step " + ip + " link set dev " + quote(old.name()) + old.master().map(master -> " master " + quote(master)).orElse(" nomaster"));
        }
        // An MTU change moves no address; a flush would only take the interface's routes with it.
        boolean addressesMoved = !(plan.change() instanceof MtuSet);
        for (NetworkInterface old : existed) {
            if (addressesMoved) {
                lines.add("step " + ip + " address flush dev " + quote(old.name()) + " scope global");
                old.addresses().forEach(address -> lines.add("step " + ip + " address add " + quote(address) + " dev " + quote(old.name())));
            }
            lines.add("step " + ip + " link set dev " + quote(old.name()) + (old.adminUp() ? " up" : " down"));
        }
        for (NetworkInterface old : existed) {
            before.defaultRoutesVia(old.name()).forEach(route ->
                    lines.add("step " + ip + " route replace default via " + quote(route.gateway()) + " dev " + quote(old.name())));
            // the routes operators added (a management network behind a router) go when addresses are flushed
            before.staticRoutesVia(old.name()).forEach(route ->
                    lines.add("step " + prefixed(prefix, route.replaceOn(old.name()))));
        }
        lines.add("exit $status");
        return String.join("\n", lines) + "\n";
    }

    /** The interfaces a change can alter, new ones included. */
    static Set<String> affected(NetworkChange change, HostNetwork before)
    {
        Set<String> names = new LinkedHashSet<>();
        if (change instanceof BridgeCreate create) {
            names.add(create.iface());
            names.add(create.bridge());
        }
        else if (change instanceof MtuSet set) {
            before.portsOf(set.iface()).forEach(port -> names.add(port.name()));
            names.add(set.iface());
        }
        else if (change instanceof BridgeRemove remove) {
            before.portsOf(remove.bridge()).forEach(port -> names.add(port.name()));
            names.add(remove.bridge());
        }
        return names;
    }

    /** A command line as the script runs it: behind the shell's prefix (e.g. {@code ip netns exec NS}), each word quoted. */
    private static String prefixed(List<String> prefix, List<String> command)
    {
        List<String> words = new ArrayList<>(prefix);
        words.addAll(command);
        return String.join(" ", words.stream().map(RevertScript::quote).toList());
    }

    static String quote(Object value)
    {
        return "'" + value.toString().replace("'", "'\\''") + "'";
    }
}
