package io.hyperops.task.network;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What a change will do: systemd-networkd files written (by file name, in the networkd folder) and
 * deleted, the live {@code ip} commands in order, and the same change as a NixOS {@code networking} snippet.
 */
public record NetworkPlan(NetworkChange change, Map<String, String> files, List<String> deletions, List<List<String>> commands, String nixos)
{
    public NetworkPlan
    {
        requireNonNull(change, "change is null");
        files = new TreeMap<>(requireNonNull(files, "files is null"));
        deletions = List.copyOf(requireNonNull(deletions, "deletions is null"));
        commands = requireNonNull(commands, "commands is null").stream().map(List::copyOf).toList();
        requireNonNull(nixos, "nixos is null");
    }

    /** Every file name the change writes or deletes: what a revert must put back. */
    public List<String> touchedFiles()
    {
        return Stream.concat(files.keySet().stream(), deletions.stream()).sorted().distinct().toList();
    }
}
