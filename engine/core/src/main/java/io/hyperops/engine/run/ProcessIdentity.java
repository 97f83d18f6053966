package io.hyperops.engine.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What tells a process from a later one that got its pid: the boot it ran in and its start time in
 * clock ticks since that boot, both from the kernel ({@code /proc/sys/kernel/random/boot_id} and
 * field 22 of {@code /proc/<pid>/stat}). Neither moves when the wall clock is stepped, unlike the
 * JDK's start instant, which adds them to a boot time read once per JVM.
 */
final class ProcessIdentity
{
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private ProcessIdentity() {}

    /** {@code <boot id>/<start ticks>} of the process; empty where /proc cannot tell (not Linux, gone). */
    static Optional<String> of(long pid)
    {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (the state), so field 22 (starttime) is fields[19]
            return Optional.of(Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip() + "/" + fields[19]);
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
