package io.hyperops.task.update.apt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The packages {@code apt-get -s upgrade} would install, read from its {@code Inst} lines:
 * {@code Inst libssl3 [3.0.11-1~deb12u1] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])}.
 * A package without the bracketed old version is newly installed (a new dependency).
 */
public record AptUpgrade(String name, String oldVersion, String newVersion, String origin)
{
    private static final Pattern INST = Pattern.compile("^Inst (\\S+) (?:\\[(\\S+)\\] )?\\((\\S+)(?: ([^\\[)]*?))?(?: \\[[^]]*\\])?\\).*$");

    public AptUpgrade
    {
        requireNonNull(name, "name is null");
        requireNonNull(newVersion, "newVersion is null");
        origin = origin == null ? "" : origin.strip();
    }

    public boolean isNewInstall()
    {
        return oldVersion == null;
    }

    public static List<AptUpgrade> parse(String simulation)
    {
        List<AptUpgrade> upgrades = new ArrayList<>();
        for (String line : simulation.lines().toList()) {
            Matcher matcher = INST.matcher(line.strip());
            if (matcher.matches()) {
                upgrades.add(new AptUpgrade(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4)));
            }
        }
        return upgrades;
    }
}
