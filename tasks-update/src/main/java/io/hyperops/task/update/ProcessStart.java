package io.hyperops.task.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named so that a reused pid is not mistaken for it: {@code PID START}, where START is the
 * kernel's start time in clock ticks since boot (field 22 of {@code /proc/PID/stat}). Unlike a wall-clock
 * start time, it does not move when the clock is set, and every reader computes the same value.
 */
final class ProcessStart
{
    private ProcessStart() {}

    static Optional<String> of(long pid)
    {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(pid + " " + fields[19]);
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the process named {@code PID START} still runs; one that cannot be named counts as gone. */
    static boolean alive(String identity)
    {
        String[] parts = identity.strip().split(" ");
        if (parts.length != 2) {
            return false;
        }
        try {
            return of(Long.parseLong(parts[0])).map(identity.strip()::equals).orElse(false);
        }
        catch (NumberFormatException e) {
            return false;
        }
    }
}
