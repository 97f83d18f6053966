package io.hyperops.task.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs an update's host programs in a transient systemd service of their own ({@code systemd-run}),
 * when the daemon itself is a systemd service.
 *
 * <p>Two reasons, both from the shipped unit. Its sandbox ({@code ProtectSystem=strict}) leaves
 * {@code /usr}, {@code /var/lib/dpkg} and {@code /nix} read-only to the daemon and to every child it
 * starts, so apt and nixos-rebuild cannot work as its children. And an upgrade that restarts hyperops
 * (its own package's maintainer scripts, a NixOS switch that changes its unit) stops the unit, which
 * kills every process in its control group: dpkg would be cut off half-way. A transient service is
 * started by systemd itself, outside that sandbox and that control group, so it finishes whatever
 * happens to the daemon.
 *
 * <p>The program writes its output and exit code into its {@link CommandFolder} itself, so nothing
 * depends on the daemon still reading a pipe; {@code --wait} keeps systemd-run until the unit has ended.
 */
final class TransientUnit
{
    private static final List<String> PASSED_ON = List.of("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY");

    private final String systemdRun;
    private final String systemctl;

    TransientUnit(String systemdRun, String systemctl)
    {
        this.systemdRun = requireNonNull(systemdRun, "systemdRun is null");
        this.systemctl = requireNonNull(systemctl, "systemctl is null");
    }

    /**
     * Transient units for a daemon that runs as a systemd service on a host booted with systemd:
     * {@code /run/systemd/system} exists exactly then (sd_booted), and systemd sets {@code INVOCATION_ID}
     * for the processes of a service. A command run from an admin's shell needs none: it is neither
     * sandboxed nor in the service's control group.
     */
    static Optional<TransientUnit> forThisProcess()
    {
        return System.getenv("INVOCATION_ID") != null ? ifBooted() : Optional.empty();
    }

    /** systemd's units on a host booted with it: to ask whether a unit an earlier daemon started still runs. */
    static Optional<TransientUnit> ifBooted()
    {
        return Files.isDirectory(Path.of("/run/systemd/system")) ? Optional.of(new TransientUnit("systemd-run", "systemctl")) : Optional.empty();
    }

    static String newName()
    {
        return "hyperops-update-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * @param timeout systemd stops the unit after it ({@code RuntimeMaxSec}), also when nobody waits for it any more
     * @param folder where systemd-run's own words go ({@code systemd-run.log}): no bus, a refused property
     */
    Started start(String unit, List<String> command, String description, Path directory, Map<String, String> environment, Duration timeout, Path folder)
            throws IOException
    {
        List<String> line = new ArrayList<>(List.of(systemdRun, "--quiet", "--wait", "--collect", "--service-type=exec",
                "--unit=" + unit, "--description=" + description,
                "--working-directory=" + directory.toAbsolutePath(),
                "--property=StandardInput=null",
                "--property=RuntimeMaxSec=" + Math.max(1, timeout.toSeconds())));
        // a unit starts with systemd's environment, not the daemon's: the proxy an admin gave the service
        // (Environment= in a drop-in) is what apt and git need to reach their archives
        for (String name : PASSED_ON) {
            String value = System.getenv(name);
            if (value != null && !environment.containsKey(name)) {
                line.add("--setenv=" + name + "=" + value);
            }
        }
        environment.forEach((name, value) -> line.add("--setenv=" + name + "=" + value));
        line.add("--");
        line.addAll(command);
        Path ownLog = folder.resolve("systemd-run.log");
        Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(ownLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new Started(unit, ownLog, process);
    }

    /** Stops the unit and everything in it (a time-out); systemd-run, waiting for it, then ends too. */
    void kill(Started started)
    {
        kill(started.unit());
        started.process().destroyForcibly();
    }

    /** Kills every process of the unit and waits (up to half a minute) until systemd sees it gone. */
    void kill(String unit)
    {
        try {
            systemctl("kill", "--signal=SIGKILL", unit + ".service");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (isActive(unit) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        catch (IOException e) {
            // nothing more to do from here; the unit's RuntimeMaxSec ends it at the latest
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a unit an earlier daemon started still runs: anything but inactive or failed, so a unit being
     * stopped (its processes still finishing) counts; a unit that ended is unloaded ({@code --collect}).
     */
    boolean isActive(String unit)
    {
        try {
            String state = systemctlOutput("show", "--property=ActiveState", "--value", unit + ".service");
            return !state.isEmpty() && !state.equals("inactive") && !state.equals("failed");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What systemctl printed, stripped; empty when it failed or took too long. */
    private String systemctlOutput(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(systemctl));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readNBytes(4096);
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return "";
        }
        return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8).strip() : "";
    }

    private int systemctl(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(systemctl));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    record Started(String unit, Path ownLog, Process process) {}
}
