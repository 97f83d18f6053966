package io.hyperops.task.update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * How update programs run: as children here, and in transient systemd units in the daemon under
 * systemd. These machines have no systemd as PID 1, so the unit path runs against a script in place of
 * {@code systemd-run} that does what its manual says for the options used; the real {@code systemd-run}
 * checks the command line as far as it can without a bus.
 */
final class TestProcessCommandRunner
{
    @TempDir
    Path folder;

    @Test
    void aStepWhoseRunIsStoppedIsLeftToFinishWhileAPlainCommandIsKilled()
            throws Exception
    {
        // dpkg or a NixOS switch killed half-way leaves a broken host; a check killed costs nothing
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Path stepMarker = folder.resolve("step-finished");
        Path commandMarker = folder.resolve("command-finished");

        Throwable step = interruptedDuring(() -> runner.runStep(List.of("sh", "-c", "sleep 1; echo done > '" + stepMarker + "'"), folder, Map.of(), Duration.ofMinutes(1)));
        Throwable command = interruptedDuring(() -> runner.run(List.of("sh", "-c", "sleep 1; echo done > '" + commandMarker + "'"), folder, Map.of(), Duration.ofMinutes(1)));

        assertThat(step).isInstanceOf(LeftRunningException.class).hasMessageContaining("is left to finish as process");
        assertThat(command).isInstanceOf(InterruptedException.class).isNotInstanceOf(LeftRunningException.class);
        Thread.sleep(2500);
        assertThat(stepMarker).content().isEqualToIgnoringNewLines("done");
        assertThat(commandMarker).doesNotExist();
    }

    @Test
    void outputExitCodeAndTimeOutOfAChild()
            throws Exception
    {
        ProcessCommandRunner runner = new ProcessCommandRunner();

        CommandRunner.Result result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; printf 'caf\\351\\n'; pwd; echo \"$HYPEROPS_TEST\"; exit 3"),
                folder, Map.of("HYPEROPS_TEST", "set"), Duration.ofMinutes(1));
        CommandRunner.Result slow = runner.runStep(List.of("sh", "-c", "echo started; exec sleep 30"), folder, Map.of(), Duration.ofMillis(500));

        assertThat(result.exitCode()).isEqualTo(3);
        // a byte that is not UTF-8 (a package description) is replaced, not an error
        assertThat(result.output()).isEqualTo("out\nerr\ncaf\uFFFD\n" + folder.toRealPath() + "\nset");
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.output()).isEqualTo("started");
    }

    @Test
    void inATransientUnitTheOutputComesFromTheFileSystemdWritesAndATimeOutKillsTheUnit()
            throws Exception
    {
        Path calls = folder.resolve("systemctl-calls");
        Path systemdRun = script("systemd-run", """
                #!/bin/sh
                # what systemd-run does with the options hyperops gives it (systemd.exec(5), systemd-run(1))
                while [ "$1" != "--" ]; do
                  case "$1" in
                    --working-directory=*) dir="${1#--working-directory=}" ;;
                    --setenv=*) export "${1#--setenv=}" ;;
                    --property=StandardOutput=truncate:*) out="${1#--property=StandardOutput=truncate:}" ;;
                    --unit=*) unit="${1#--unit=}" ;;
                    --quiet|--wait|--collect|--service-type=exec|--description=*|--property=StandardInput=null) ;;
                    *) echo "systemd-run: unrecognized option '$1'"; exit 1 ;;
                  esac
                  shift
                done
                shift
                cd "$dir" && "$@" > "$out" 2>&1 < /dev/null &
                echo $! > "%1$s/$unit.pid"
                wait $!
                """.formatted(folder));
        Path systemctl = script("systemctl", """
                #!/bin/sh
                echo "$*" >> '%1$s'
                unit="${3%%.service}"
                pkill -KILL -P "$(cat '%2$s/'"$unit"'.pid')"
                kill -KILL "$(cat '%2$s/'"$unit"'.pid')"
                """.formatted(calls, folder));
        Path outputs = folder.resolve("outputs");
        ProcessCommandRunner runner = new ProcessCommandRunner(Optional.of(new TransientUnit(systemdRun.toString(), systemctl.toString(), outputs)));

        CommandRunner.Result result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; pwd; echo \"$HYPEROPS_TEST\"; exit 3"),
                folder, Map.of("HYPEROPS_TEST", "set"), Duration.ofMinutes(1));
        CommandRunner.Result slow = runner.runStep(List.of("sh", "-c", "echo started; sleep 30"), folder, Map.of(), Duration.ofMillis(1000));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("out\nerr\n" + folder.toRealPath() + "\nset");
        assertThat(slow.timedOut()).isTrue();
        // then what systemd-run said as its unit was killed
        assertThat(slow.output()).startsWith("started");
        assertThat(Files.readAllLines(calls)).singleElement().asString().matches("kill --signal=SIGKILL hyperops-update-[0-9a-f]{8}\\.service");
        // the output files are read and removed
        assertThat(outputs).isEmptyDirectory();
    }

    @Test
    void theRealSystemdRunAcceptsTheCommandLine()
            throws Exception
    {
        assumeThat(Path.of("/usr/bin/systemd-run")).as("systemd-run is installed").exists();
        boolean booted = Files.isDirectory(Path.of("/run/systemd/system"));
        assumeThat(booted).as("a host booted with systemd would start the unit for real").isFalse();
        ProcessCommandRunner runner = new ProcessCommandRunner(Optional.of(new TransientUnit("systemd-run", "systemctl", folder)));

        CommandRunner.Result result = runner.run(List.of("true"), folder, Map.of("DEBIAN_FRONTEND", "noninteractive"), Duration.ofSeconds(30));

        // it parsed every option and stopped only at the missing service manager
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).doesNotContain("unrecognized option").doesNotContain("invalid option").doesNotContain("Failed to parse")
                .containsAnyOf("System has not been booted with systemd", "Failed to connect to bus");
    }

    private Path script(String name, String text)
            throws Exception
    {
        Path script = folder.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private interface Call
    {
        void call()
                throws Exception;
    }

    /** What the call threw when its thread was interrupted a moment after it started. */
    private static Throwable interruptedDuring(Call call)
            throws InterruptedException
    {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                call.call();
            }
            catch (Throwable e) {
                thrown.set(e);
            }
        });
        thread.start();
        Thread.sleep(300);
        thread.interrupt();
        thread.join(10_000);
        return thrown.get();
    }
}
