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
 * <p>The program's output goes to a file rather than through a pipe: a pipe whose reader (the daemon)
 * is gone makes the program's next write fail. {@code --wait} passes the service's exit code on.
 */
final class TransientUnit
{
    private final String systemdRun;
    private final String systemctl;
    private final Path outputs;

    /**
     * @param outputs folder for the programs' output files, written by systemd (not the sandboxed daemon)
     */
    TransientUnit(String systemdRun, String systemctl, Path outputs)
    {
        this.systemdRun = requireNonNull(systemdRun, "systemdRun is null");
        this.systemctl = requireNonNull(systemctl, "systemctl is null");
        this.outputs = requireNonNull(outputs, "outputs is null");
    }

    /**
     * Transient units for a daemon that runs as a systemd service on a host booted with systemd:
     * {@code /run/systemd/system} exists exactly then (sd_booted), and systemd sets {@code INVOCATION_ID}
     * for the processes of a service. A command run from an admin's shell needs none: it is neither
     * sandboxed nor in the service's control group.
     */
    static Optional<TransientUnit> forThisProcess(Path outputs)
    {
        boolean booted = Files.isDirectory(Path.of("/run/systemd/system"));
        boolean service = System.getenv("INVOCATION_ID") != null;
        return booted && service ? Optional.of(new TransientUnit("systemd-run", "systemctl", outputs)) : Optional.empty();
    }

    Started start(List<String> command, Path directory, Map<String, String> environment)
            throws IOException
    {
        Files.createDirectories(outputs);
        String unit = "hyperops-update-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path output = outputs.resolve(unit + ".log");
        List<String> line = new ArrayList<>(List.of(systemdRun, "--quiet", "--wait", "--collect", "--service-type=exec",
                "--unit=" + unit, "--description=hyperops update: " + String.join(" ", command),
                "--working-directory=" + directory.toAbsolutePath(),
                "--property=StandardInput=null",
                // StandardError defaults to inherit: both streams go to the file, in order
                "--property=StandardOutput=truncate:" + output.toAbsolutePath()));
        environment.forEach((name, value) -> line.add("--setenv=" + name + "=" + value));
        line.add("--");
        line.addAll(command);
        // systemd-run's own words (no bus, a refused property) go to a file of their own
        Path startLog = outputs.resolve(unit + ".start.log");
        Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(startLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new Started(unit, output, startLog, process);
    }

    /** Stops the unit and everything in it (a time-out); systemd-run, waiting for it, then ends too. */
    void kill(Started started)
            throws InterruptedException
    {
        try {
            Process stop = new ProcessBuilder(systemctl, "kill", "--signal=SIGKILL", started.unit() + ".service")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            stop.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (IOException e) {
            // systemd-run is killed below all the same; the unit then runs on, as after a daemon crash
        }
        started.process().destroyForcibly();
    }

    /**
     * @param output the program's output, written by systemd
     * @param startLog what systemd-run itself said: empty unless the unit could not be started
     */
    record Started(String unit, Path output, Path startLog, Process process)
    {
        /** Both files' text, then both files removed; a file never created (the unit never started) is empty. */
        String takeOutput()
                throws IOException
        {
            String text = (read(output) + "\n" + read(startLog)).strip();
            Files.deleteIfExists(output);
            Files.deleteIfExists(startLog);
            return text;
        }

        private static String read(Path file)
                throws IOException
        {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip() : "";
        }
    }
}
