package io.hyperops.task.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What {@code hyperops network} prints: tables and plans for people, JSON for scripts. */
final class NetworkText
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NetworkText() {}

    static String table(List<NetworkInterface> interfaces, HostNetwork host)
    {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "STATE", "SPEED", "DUPLEX", "MTU", "MTU RANGE", "DRIVER", "BRIDGE", "ADDRESSES", "GATEWAY"});
        for (NetworkInterface iface : interfaces) {
            rows.add(new String[] {
                    iface.name(),
                    type(iface),
                    iface.state(),
                    iface.speedMbps().map(speed -> speed + " Mb/s").orElse("-"),
                    iface.duplex().orElse("-"),
                    String.valueOf(iface.mtu()),
                    iface.maxMtu() > 0 ? iface.minMtu() + "-" + iface.maxMtu() : "-",
                    iface.driver().isEmpty() ? "-" : iface.driver(),
                    iface.master().orElse(iface.isBridge() ? "(bridge)" : "-"),
                    iface.addresses().isEmpty() ? "-" : String.join(",", iface.addresses()),
                    host.defaultRoutesVia(iface.name()).stream().map(DefaultRoute::gateway).findFirst().orElse("-")});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                line.append(String.format("%-" + widths[column] + "s  ", row[column]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    static String json(List<NetworkInterface> interfaces, HostNetwork host)
    {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NetworkInterface iface : interfaces) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", iface.name());
            entry.put("physical", iface.physical());
            entry.put("kind", iface.kind());
            entry.put("state", iface.state());
            entry.put("admin_up", iface.adminUp());
            entry.put("speed_mbps", iface.speedMbps().orElse(null));
            entry.put("duplex", iface.duplex().orElse(null));
            entry.put("mtu", iface.mtu());
            entry.put("min_mtu", iface.minMtu());
            entry.put("max_mtu", iface.maxMtu());
            entry.put("driver", iface.driver());
            entry.put("addresses", iface.addresses());
            entry.put("bridge", iface.master().orElse(null));
            entry.put("is_bridge", iface.isBridge());
            entry.put("ports", host.portsOf(iface.name()).stream().map(NetworkInterface::name).toList());
            entry.put("default_gateways", host.defaultRoutesVia(iface.name()).stream().map(DefaultRoute::gateway).toList());
            list.add(entry);
        }
        return write(list);
    }

    static String plan(NetworkPlan plan, String networkdDir)
    {
        StringBuilder text = new StringBuilder("Plan: network ").append(plan.change().summary()).append("\n\n");
        text.append("systemd-networkd files in ").append(networkdDir).append(":\n");
        plan.files().forEach((name, content) -> text.append("\n--- ").append(name).append(" ---\n").append(content));
        plan.deletions().forEach(name -> text.append("\n--- ").append(name).append(" --- (deleted)\n"));
        text.append("\nLive commands:\n");
        plan.commands().forEach(command -> text.append("  ").append(String.join(" ", command)).append('\n'));
        text.append("\nNixOS (configuration.nix):\n").append(plan.nixos());
        return text.toString();
    }

    static String report(ChangeReport report, String networkdDir)
    {
        StringBuilder text = new StringBuilder();
        if (report.outcome() == ChangeReport.Outcome.PLANNED) {
            report.plan().ifPresent(plan -> text.append(plan(plan, networkdDir)).append('\n'));
        }
        text.append(report.message()).append('\n');
        report.refusals().forEach(refusal -> text.append("  - ").append(refusal.reason()).append("\n    fix: ").append(refusal.fix()).append('\n'));
        report.probes().forEach(probe -> text.append("  probe: ").append(probe).append('\n'));
        return text.toString();
    }

    static String json(ChangeReport report)
    {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("outcome", report.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        value.put("message", report.message());
        value.put("refusals", report.refusals().stream().map(refusal -> Map.of("reason", refusal.reason(), "fix", refusal.fix())).toList());
        Optional<NetworkPlan> plan = report.plan();
        plan.ifPresent(present -> {
            Map<String, Object> planned = new LinkedHashMap<>();
            planned.put("change", present.change().summary());
            planned.put("files", present.files());
            planned.put("deletions", present.deletions());
            planned.put("commands", present.commands().stream().map(command -> String.join(" ", command)).toList());
            planned.put("nixos", present.nixos());
            value.put("plan", planned);
        });
        value.put("probes", report.probes());
        return write(value);
    }

    private static String type(NetworkInterface iface)
    {
        String origin = iface.physical() ? "physical" : "virtual";
        return iface.kind().isEmpty() ? origin : origin + "/" + iface.kind();
    }

    private static String write(Object value)
    {
        try {
            return JSON.writeValueAsString(value) + "\n";
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
