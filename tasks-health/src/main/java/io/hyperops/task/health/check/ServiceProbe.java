package io.hyperops.task.health.check;

import io.hyperops.task.health.CommandRunner;
import io.hyperops.task.health.HostFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Whether a service runs: {@code systemctl is-active} where systemd is PID 1, otherwise a process of
 * that name in {@code /proc} (containers and test machines start daemons by hand).
 */
public final class ServiceProbe
{
    private final HostFiles host;
    private final CommandRunner commands;
    private final Duration timeout;

    public ServiceProbe(HostFiles host, CommandRunner commands, Duration timeout)
    {
        this.host = requireNonNull(host, "host is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    public boolean systemd()
    {
        return Files.isDirectory(host.path("/run/systemd/system"));
    }

    /**
     * @param processNames names as in {@code /proc/<pid>/comm}, looked for where there is no systemd
     */
    public boolean active(String unit, Set<String> processNames)
            throws IOException, InterruptedException
    {
        if (systemd()) {
            return commands.run(List.of("systemctl", "is-active", "--quiet", unit), timeout).succeeded();
        }
        return running(processNames);
    }

    /** Whether a process with one of these names runs, read from {@code /proc/<pid>/comm}. */
    public boolean running(Set<String> processNames)
            throws IOException
    {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(host.path("/proc"), entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                try {
                    if (processNames.contains(Files.readString(process.resolve("comm")).strip())) {
                        return true;
                    }
                }
                catch (IOException e) {
                    // the process ended while we looked
                }
            }
        }
        return false;
    }

    /** How to start the service, in the words of this host. */
    public String startHint(String unit, String command)
    {
        return systemd() ? "systemctl start " + unit : "start it: " + command;
    }
}
