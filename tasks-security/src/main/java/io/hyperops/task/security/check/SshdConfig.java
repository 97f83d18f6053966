package io.hyperops.task.security.check;

import io.hyperops.task.security.HostRoot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * sshd's configuration as sshd reads it: keywords are case-insensitive, the first value obtained for a
 * keyword wins, {@code Include} pulls in files (globs, relative to {@code /etc/ssh}, in lexical order)
 * where it stands, and a {@code Match} block holds until the next {@code Match} or the end of its file.
 */
public final class SshdConfig
{
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final String MATCH_ALL = "Match all";

    /**
     * @param match the {@code Match} line the setting is under; empty for a global setting
     */
    public record Setting(String keyword, String value, String location, Optional<String> match)
    {
        public Setting
        {
            requireNonNull(keyword, "keyword is null");
            requireNonNull(value, "value is null");
            requireNonNull(location, "location is null");
            requireNonNull(match, "match is null");
        }
    }

    private final List<Setting> settings;

    private SshdConfig(List<Setting> settings)
    {
        this.settings = List.copyOf(settings);
    }

    /** Reads {@code mainFile} (a host path) under {@code host}; empty when the file does not exist. */
    public static Optional<SshdConfig> read(HostRoot host, Path mainFile)
            throws IOException
    {
        Path file = host.resolve(mainFile);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<Setting> settings = new ArrayList<>();
        readFile(host, file, Optional.empty(), settings, 0);
        return Optional.of(new SshdConfig(settings));
    }

    /** The value sshd uses outside any Match block: the first one given. */
    /**
     * The value every connection gets: one under {@code Match all} if there is one (a Match block's value
     * overrides the global one, and {@code Match all} takes every connection), else the global one.
     */
    public Optional<Setting> global(String keyword)
    {
        Optional<Setting> forAll = settings.stream()
                .filter(setting -> setting.match().map(match -> match.startsWith(MATCH_ALL)).orElse(false) && setting.keyword().equalsIgnoreCase(keyword))
                .findFirst();
        return forAll.or(() -> settings.stream().filter(setting -> setting.match().isEmpty() && setting.keyword().equalsIgnoreCase(keyword)).findFirst());
    }

    /** Every value a Match block other than {@code Match all} gives the keyword. */
    public List<Setting> inMatchBlocks(String keyword)
    {
        return settings.stream()
                .filter(setting -> setting.match().map(match -> !match.startsWith(MATCH_ALL)).orElse(false) && setting.keyword().equalsIgnoreCase(keyword))
                .toList();
    }

    private static void readFile(HostRoot host, Path file, Optional<String> enclosingMatch, List<Setting> settings, int depth)
            throws IOException
    {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IOException("sshd config includes nest deeper than " + MAX_INCLUDE_DEPTH + " at " + host.hostPath(file) + " (a loop?)");
        }
        Optional<String> match = enclosingMatch;
        List<String> lines = Files.readAllLines(file);
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s=]+", 2);
            String keyword = parts[0];
            String value = parts.length > 1 ? unquote(parts[1].strip()) : "";
            String location = host.hostPath(file) + ":" + number;
            switch (keyword.toLowerCase(Locale.ROOT)) {
                // "Match all" is no way back to the global section: what follows overrides it for every connection
                case "match" -> match = Optional.of((value.equalsIgnoreCase("all") ? MATCH_ALL : "Match " + value) + " (" + location + ")");
                case "include" -> {
                    for (String pattern : value.split("\\s+")) {
                        for (Path included : expand(host, pattern)) {
                            readFile(host, included, match, settings, depth + 1);
                        }
                    }
                }
                default -> settings.add(new Setting(keyword, value, location, match));
            }
        }
    }

    private static List<Path> expand(HostRoot host, String pattern)
            throws IOException
    {
        Path hostPattern = pattern.startsWith("/") ? Path.of(pattern) : Path.of("/etc/ssh").resolve(pattern);
        Path folder = host.resolve(hostPattern.getParent());
        String glob = hostPattern.getFileName().toString();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, glob)) {
            stream.forEach(path -> {
                if (Files.isRegularFile(path)) {
                    files.add(path);
                }
            });
        }
        files.sort(null);
        return files;
    }

    private static String unquote(String value)
    {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
