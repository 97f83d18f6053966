package io.hyperops.task.health.check;

import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Reachability of the configured targets (by default the default gateway), the configured DNS servers
 * (by default those of {@code /etc/resolv.conf}) and the guests' bridge. No public address is probed
 * unless the config lists one.
 */
public final class NetworkChecks
{
    private static final int RTF_GATEWAY = 0x2;

    private final HostFiles host;
    private final HealthSettings settings;

    public NetworkChecks(HostFiles host, HealthSettings settings)
    {
        this.host = requireNonNull(host, "host is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("network", this::reachability),
                new HealthCheck("dns", this::dns),
                new HealthCheck("bridge", this::bridge));
    }

    public CheckResult reachability()
            throws IOException
    {
        List<String> targets = settings.reachabilityTargets();
        if (targets.isEmpty()) {
            Optional<String> gateway = defaultGateway();
            if (gateway.isEmpty()) {
                return CheckResult.warn("no default route in /proc/net/route", "configure a default gateway, or list targets in reachability_targets");
            }
            targets = List.of(gateway.get());
        }
        List<String> unreachable = new ArrayList<>();
        for (String target : targets) {
            if (!InetAddress.getByName(target).isReachable((int) settings.probeTimeout().toMillis())) {
                unreachable.add(target);
            }
        }
        if (unreachable.isEmpty()) {
            return CheckResult.ok("reachable: " + String.join(", ", targets));
        }
        return CheckResult.warn("no answer within " + settings.probeTimeout().toMillis() + " ms from " + String.join(", ", unreachable),
                "check the uplink and routes (ip route), or set reachability_targets to hosts that answer ping");
    }

    CheckResult dns()
            throws IOException
    {
        List<String> servers = settings.dnsServers().isEmpty() ? resolvers() : settings.dnsServers();
        if (servers.isEmpty()) {
            return CheckResult.warn("no nameserver in /etc/resolv.conf", "add a nameserver line to /etc/resolv.conf, or list servers in dns_servers");
        }
        List<String> silent = new ArrayList<>();
        for (String server : servers) {
            Optional<String> problem = query(server);
            problem.ifPresent(reason -> silent.add(server + " (" + reason + ")"));
        }
        if (silent.isEmpty()) {
            return CheckResult.ok("answering: " + String.join(", ", servers));
        }
        return CheckResult.warn("DNS server not answering: " + String.join(", ", silent), "check the resolvers in /etc/resolv.conf and that UDP port 53 is open");
    }

    CheckResult bridge()
            throws IOException
    {
        Path device = host.path("/sys/class/net/" + settings.bridge());
        if (!Files.isDirectory(device.resolve("bridge"))) {
            return CheckResult.info("no bridge " + settings.bridge() + ": guests use NAT", "create one for bridged guests: hyperops bridge helper, or systemd-networkd .netdev files");
        }
        String state = Files.readString(device.resolve("operstate")).strip().toLowerCase(Locale.ROOT);
        if (state.equals("up")) {
            return CheckResult.ok("bridge " + settings.bridge() + " is UP");
        }
        return CheckResult.warn("bridge " + settings.bridge() + " is " + state.toUpperCase(Locale.ROOT), "ip link set " + settings.bridge() + " up, and check its member interface");
    }

    /** The gateway of the default route, from the kernel's routing table (addresses in little-endian hex). */
    Optional<String> defaultGateway()
            throws IOException
    {
        List<String> lines;
        try {
            lines = Files.readAllLines(host.path("/proc/net/route"));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 4 || !fields[1].equals("00000000") || (Integer.parseInt(fields[3], 16) & RTF_GATEWAY) == 0) {
                continue;
            }
            long gateway = Long.parseLong(fields[2], 16);
            return Optional.of((gateway & 0xff) + "." + (gateway >> 8 & 0xff) + "." + (gateway >> 16 & 0xff) + "." + (gateway >> 24 & 0xff));
        }
        return Optional.empty();
    }

    List<String> resolvers()
            throws IOException
    {
        List<String> servers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(host.path("/etc/resolv.conf"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 2 && fields[0].equals("nameserver")) {
                    servers.add(fields[1]);
                }
            }
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        return servers;
    }

    /** Asks the server for the root's NS records over UDP; empty when it answered. */
    private Optional<String> query(String server)
            throws IOException
    {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        ByteBuffer request = ByteBuffer.allocate(17);
        // header: id, flags (recursion desired), one question; question: root name, type NS, class IN
        request.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .put((byte) 0).putShort((short) 2).putShort((short) 1);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) settings.probeTimeout().toMillis());
            socket.send(new DatagramPacket(request.array(), request.position(), new InetSocketAddress(InetAddress.getByName(server), 53)));
            byte[] buffer = new byte[512];
            long deadline = System.nanoTime() + settings.probeTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket response = new DatagramPacket(buffer, buffer.length);
                socket.receive(response);
                if (response.getLength() >= 4 && ((buffer[0] & 0xff) << 8 | (buffer[1] & 0xff)) == id) {
                    int rcode = buffer[3] & 0x0f;
                    return rcode == 0 ? Optional.empty() : Optional.of("answered with error code " + rcode);
                }
            }
            return Optional.of("no answer");
        }
        catch (SocketTimeoutException e) {
            return Optional.of("no answer within " + settings.probeTimeout().toMillis() + " ms");
        }
    }
}
