package io.hyperops.task.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Reads the kernel's view of the host from {@code /proc}. The folder is a parameter so tests can hand
 * in fixed files; on a host it is {@code /proc}.
 */
public final class ProcFiles
{
    private static final Pattern LOAD_AVERAGE = Pattern.compile("(\\d+\\.\\d+) (\\d+\\.\\d+) (\\d+\\.\\d+) .*");
    private static final Pattern PROCESSOR = Pattern.compile("processor\\s*:.*");
    private static final Pattern MEMINFO_LINE = Pattern.compile("(\\w+(?:\\(\\w+\\))?):\\s+(\\d+)(?: kB)?");

    private final Path procDir;

    public ProcFiles(Path procDir)
    {
        this.procDir = requireNonNull(procDir, "procDir is null");
    }

    /** The kernel's host name, what {@code hostname} prints; no DNS look-up. */
    public String hostname()
            throws IOException
    {
        Path file = procDir.resolve("sys/kernel/hostname");
        String hostname = Files.readString(file).strip();
        if (hostname.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return hostname;
    }

    /** Logical processors of the host, from {@code cpuinfo}; not limited by this process's CPU affinity. */
    public int processorCount()
            throws IOException
    {
        Path file = procDir.resolve("cpuinfo");
        int count;
        try (Stream<String> lines = Files.lines(file)) {
            count = (int) lines.filter(line -> PROCESSOR.matcher(line).matches()).count();
        }
        if (count == 0) {
            throw new IOException(file + " lists no 'processor' entries");
        }
        return count;
    }

    /** Load averages over 1, 5 and 15 minutes. */
    public List<Double> loadAverage()
            throws IOException
    {
        Path file = procDir.resolve("loadavg");
        String content = Files.readString(file).strip();
        Matcher matcher = LOAD_AVERAGE.matcher(content);
        if (!matcher.matches()) {
            throw new IOException("cannot read the load averages from " + file + ": '" + content + "'");
        }
        return List.of(
                Double.parseDouble(matcher.group(1)),
                Double.parseDouble(matcher.group(2)),
                Double.parseDouble(matcher.group(3)));
    }

    /** One value of {@code meminfo}, e.g. {@code MemAvailable}, in kB as the kernel gives it. */
    public long meminfoKilobytes(String key)
            throws IOException
    {
        Path file = procDir.resolve("meminfo");
        for (String line : Files.readAllLines(file)) {
            Matcher matcher = MEMINFO_LINE.matcher(line);
            if (matcher.matches() && matcher.group(1).equals(key)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        throw new IOException(file + " has no " + key + " line");
    }
}
