package io.hyperops.task.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The systemd-networkd file format, in the seed's layout: sections of {@code Key=Value} lines. */
final class NetworkdFiles
{
    private NetworkdFiles() {}

    static String netdev(String header, String bridge, int mtu)
    {
        return header + """
                [NetDev]
                Name=%s
                Kind=bridge
                MTUBytes=%d

                [Bridge]
                STP=no
                """.formatted(bridge, mtu);
    }

    /** The bridge's own {@code .network}: DHCP, or its static address and gateway. */
    static String bridgeNetwork(String header, String bridge, NetworkChange.Addressing addressing)
    {
        StringBuilder text = new StringBuilder(header).append("[Match]\nName=").append(bridge).append("\n\n[Network]\n");
        if (addressing.isDhcp()) {
            text.append("DHCP=yes\n");
        }
        else {
            text.append("Address=").append(addressing.address().orElseThrow()).append('\n');
            addressing.gateway().ifPresent(gateway -> text.append("Gateway=").append(gateway).append('\n'));
        }
        return text.toString();
    }

    /** The port's {@code .network}: it joins the bridge and carries the same MTU. */
    static String portNetwork(String header, String iface, String bridge, int mtu)
    {
        return header + """
                [Match]
                Name=%s

                [Network]
                Bridge=%s

                [Link]
                MTUBytes=%d
                """.formatted(iface, bridge, mtu);
    }

    /** A {@code .network} that only sets the MTU, for an interface that had none. */
    static String mtuNetwork(String header, String iface, int mtu)
    {
        return header + """
                [Match]
                Name=%s

                [Link]
                MTUBytes=%d
                """.formatted(iface, mtu);
    }

    /** The content with {@code key} set to {@code value} in {@code section}; the section is added at the end if missing. */
    static String set(String content, String section, String key, String value)
    {
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        String current = "";
        int sectionEnd = -1;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).strip();
            if (line.startsWith("[")) {
                current = line;
                continue;
            }
            if (current.equals("[" + section + "]")) {
                if (line.startsWith(key + "=")) {
                    lines.set(index, key + "=" + value);
                    return String.join("\n", lines) + "\n";
                }
                if (!line.isEmpty()) {
                    sectionEnd = index;
                }
            }
        }
        if (sectionEnd >= 0) {
            lines.add(sectionEnd + 1, key + "=" + value);
        }
        else {
            lines.add("");
            lines.add("[" + section + "]");
            lines.add(key + "=" + value);
        }
        return String.join("\n", lines) + "\n";
    }

    /** The value of {@code key} in {@code section}, if set. */
    static Optional<String> get(String content, String section, String key)
    {
        return sectionLines(content, section).stream()
                .filter(line -> line.startsWith(key + "="))
                .map(line -> line.substring(key.length() + 1))
                .findFirst();
    }

    /** The non-empty, non-comment lines of one section. */
    static List<String> sectionLines(String content, String section)
    {
        List<String> result = new ArrayList<>();
        String current = "";
        for (String raw : content.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                current = line;
            }
            else if (current.equals("[" + section + "]") && !line.isEmpty() && !line.startsWith("#")) {
                result.add(line);
            }
        }
        return result;
    }

    /** The {@code .network} files of a folder; none when it does not exist or cannot be read. */
    static List<Path> networkFiles(Path folder)
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".network") && Files.isRegularFile(file)).sorted().toList();
        }
        catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** Whether the file's {@code [Match] Name=} (a list of shell globs, as networkd reads it) takes the interface. */
    static boolean matchesName(Path file, String name)
    {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return false;
        }
        for (String line : sectionLines(content, "Match")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("Name=")) {
                continue;
            }
            for (String glob : trimmed.substring("Name=".length()).strip().split("\\s+")) {
                if (!glob.isEmpty() && FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(name))) {
                    return true;
                }
            }
        }
        return false;
    }
}
