package io.hyperops.task.update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
        ProcessCommandRunner runner = new ProcessCommandRunner(folder.resolve("commands"), Optional.empty());
        Path stepMarker = folder.resolve("step-finished");
        Path commandMarker = folder.resolve("command-finished");

        Throwable step = interruptedDuring(folder.resolve("commands"), false, () -> runner.runStep(List.of("sh", "-c", "sleep 1; echo done > '" + stepMarker + "'"), folder, Map.of(), Duration.ofMinutes(1)));
        Throwable command = interruptedDuring(folder.resolve("commands"), false, () -> runner.run(List.of("sh", "-c", "sleep 1; echo done > '" + commandMarker + "'"), folder, Map.of(), Duration.ofMinutes(1)));

        assertThat(step).isInstanceOf(LeftRunningException.class).hasMessageContaining("is left to finish as pid");
        assertThat(command).isInstanceOf(InterruptedException.class).isNotInstanceOf(LeftRunningException.class);
        // events, not a fixed wait: the step writes its marker; the command can write none once no process of it is left
        await("the step left running writes its marker", () -> Files.exists(stepMarker));
        await("no process of the killed command is left", () -> ProcessHandle.allProcesses()
                .noneMatch(process -> process.info().commandLine().orElse("").contains(commandMarker.toString())));
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
        // time enough for both shells to start and print on a busy machine; the sleep still outlasts it
        CommandRunner.Result slow = runner.runStep(List.of("sh", "-c", "echo started; exec sleep 30"), folder, Map.of(), Duration.ofSeconds(3));

        assertThat(result.exitCode()).isEqualTo(3);
        // a byte that is not UTF-8 (a package description) is replaced, not an error
        assertThat(result.output()).isEqualTo("out\nerr\ncaf\uFFFD\n" + folder.toRealPath() + "\nset");
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.output()).isEqualTo("started");
    }

    @Test
    void inATransientUnitOutputAndExitCodeComeFromTheProgramsFolderAndATimeOutKillsTheUnit()
            throws Exception
    {
        Path calls = folder.resolve("systemctl-calls");
        fakeSystemd(calls);
        Path commands = folder.resolve("commands");
        ProcessCommandRunner runner = unitRunner(commands);

        CommandRunner.Result result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; pwd; echo \"$HYPEROPS_TEST\"; exit 3"),
                folder, Map.of("HYPEROPS_TEST", "set"), Duration.ofMinutes(1));
        // time enough for both shells to start and print on a busy machine; the sleep still outlasts it
        CommandRunner.Result slow = runner.runStep(List.of("sh", "-c", "echo started; sleep 30"), folder, Map.of(), Duration.ofSeconds(3));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("out\nerr\n" + folder.toRealPath() + "\nset");
        assertThat(slow.timedOut()).isTrue();
        // then what systemd-run said as its unit was killed
        assertThat(slow.output()).startsWith("started");
        assertThat(Files.readAllLines(calls)).singleElement().asString().matches("kill --signal=SIGKILL hyperops-update-[0-9a-f]{8}\\.service");
        // the programs' folders are read and removed
        assertThat(commands).isEmptyDirectory();
    }

    @Test
    void theRealSystemdRunAcceptsTheCommandLine()
            throws Exception
    {
        assumeThat(Path.of("/usr/bin/systemd-run")).as("systemd-run is installed").exists();
        boolean booted = Files.isDirectory(Path.of("/run/systemd/system"));
        assumeThat(booted).as("a host booted with systemd would start the unit for real").isFalse();
        ProcessCommandRunner runner = new ProcessCommandRunner(folder.resolve("commands"), Optional.of(new TransientUnit("systemd-run", "systemctl")));

        CommandRunner.Result result = runner.run(List.of("true"), folder, Map.of("DEBIAN_FRONTEND", "noninteractive"), Duration.ofSeconds(30));

        // it parsed every option and stopped only at the missing service manager
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).doesNotContain("unrecognized option").doesNotContain("invalid option").doesNotContain("Failed to parse")
                .containsAnyOf("System has not been booted with systemd", "Failed to connect to bus");
    }

    @Test
    void aStepLeftRunningIsAwaitedByTheNextProcessWithItsExitCodeAndOutput()
            throws Exception
    {
        // the daemon stopped during an apply; the next daemon (another runner on the same folders) waits
        // for the step and learns how it ended
        for (boolean inUnit : new boolean[] {false, true}) {
            Path commands = folder.resolve(inUnit ? "unit-commands" : "child-commands");
            fakeSystemd(folder.resolve("systemctl-calls"));
            ProcessCommandRunner first = inUnit ? unitRunner(commands) : new ProcessCommandRunner(commands, Optional.empty());
            // the next one starts no units itself (an admin's command from a shell) but asks systemd about them
            ProcessCommandRunner next = new ProcessCommandRunner(commands, Optional.empty(), inUnit ? Optional.of(fakeUnits()) : Optional.empty());

            Throwable stopped = interruptedDuring(commands, inUnit, () -> first.runStep(List.of("sh", "-c", "echo upgrading; sleep 2; echo upgraded; exit 4"), folder, Map.of(), Duration.ofMinutes(1)));
            List<String> waitedFor = new ArrayList<>();
            List<CommandRunner.Result> ended = next.awaitLeftRunning(waitedFor::add);

            assertThat(stopped).as("in a unit: %s", inUnit).isInstanceOf(LeftRunningException.class);
            assertThat(waitedFor).as("in a unit: %s", inUnit).singleElement().asString().contains("sh -c echo upgrading").contains(inUnit ? "unit hyperops-update-" : "pid ");
            assertThat(ended).as("in a unit: %s", inUnit).singleElement().satisfies(result -> {
                assertThat(result.exitCode()).isEqualTo(4);
                assertThat(result.output()).isEqualTo("upgrading\nupgraded");
            });
            // until the caller has recorded the outcome, a run killed meanwhile finds it again
            assertThat(next.awaitLeftRunning(waitedFor::add)).singleElement().extracting(CommandRunner.Result::exitCode).isEqualTo(4);
            next.forgetLeftRunning();
            assertThat(commands).isEmptyDirectory();
            assertThat(next.awaitLeftRunning(waitedFor::add)).isEmpty();
        }
    }

    @Test
    void aCommandItsOwnerStillWaitsForIsNeitherAwaitedNorTouched()
            throws Exception
    {
        // an update-check running now in the daemon, or a command from a shell, beside a resuming update
        Path commands = folder.resolve("commands");
        ProcessCommandRunner runner = new ProcessCommandRunner(commands, Optional.empty());
        AtomicReference<CommandRunner.Result> checked = new AtomicReference<>();
        Thread check = new Thread(() -> {
            try {
                checked.set(runner.run(List.of("sh", "-c", "sleep 2; echo checked"), folder, Map.of(), Duration.ofMinutes(1)));
            }
            catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        check.start();
        Thread.sleep(500);

        List<CommandRunner.Result> ended = new ProcessCommandRunner(commands, Optional.empty()).awaitLeftRunning(step -> {});
        check.join(10_000);

        assertThat(ended).isEmpty();
        assertThat(checked.get().exitCode()).isZero();
        assertThat(checked.get().output()).isEqualTo("checked");
    }

    @Test
    void aStepLeftRunningPastItsTimeOutIsKilledByTheRunWaitingForIt()
            throws Exception
    {
        Path commands = folder.resolve("commands");
        ProcessCommandRunner first = new ProcessCommandRunner(commands, Optional.empty());
        Throwable stopped = interruptedDuring(commands, false, () -> first.runStep(List.of("sh", "-c", "echo hung; sleep 600"), folder, Map.of(), Duration.ofSeconds(2)));
        assertThat(stopped).isInstanceOf(LeftRunningException.class);
        long start = System.nanoTime();

        List<CommandRunner.Result> ended = new ProcessCommandRunner(commands, Optional.empty()).awaitLeftRunning(step -> {});

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(ended).singleElement().satisfies(result -> {
            assertThat(result.timedOut()).isTrue();
            assertThat(result.succeeded()).isFalse();
            assertThat(result.output()).startsWith("hung").contains("killed at its time-out");
        });
    }

    @Test
    void aStepThatEndedWithoutItsExitCodeIsReportedAsSuch()
            throws Exception
    {
        // killed with its unit, or the host went down: the folder has a process that is gone and no exit code
        Path commands = folder.resolve("commands");
        ProcessCommandRunner first = new ProcessCommandRunner(commands, Optional.empty());
        Throwable stopped = interruptedDuring(commands, false, () -> first.runStep(List.of("sh", "-c", "echo started; sleep 30"), folder, Map.of(), Duration.ofMinutes(1)));
        assertThat(stopped).isInstanceOf(LeftRunningException.class);
        try (var processes = Files.list(commands)) {
            Path step = processes.findFirst().orElseThrow();
            // it was interrupted once it started, maybe before it printed: it is killed only after that
            await("the step prints", () -> Files.exists(step.resolve("output")) && Files.readString(step.resolve("output")).contains("started"));
            long pid = Long.parseLong(Files.readString(step.resolve("process")).split(" ")[1]);
            ProcessHandle wrapper = ProcessHandle.of(pid).orElseThrow();
            // the wrapper first, as the runner does: one outliving its program would write its exit code (137)
            List<ProcessHandle> children = wrapper.descendants().toList();
            wrapper.destroyForcibly();
            wrapper.onExit().get();
            children.forEach(ProcessHandle::destroyForcibly);
        }

        List<CommandRunner.Result> ended = new ProcessCommandRunner(commands, Optional.empty()).awaitLeftRunning(step -> {});

        assertThat(ended).singleElement().satisfies(result -> {
            assertThat(result.exitCode()).isEqualTo(-1);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.output()).startsWith("started").contains("ended without an exit code");
        });
    }

    @Test
    void aProgramThatIsNotInstalledIsAnIoError()
    {
        ProcessCommandRunner runner = new ProcessCommandRunner(folder.resolve("commands"), Optional.empty());

        assertThatThrownBy(() -> runner.run(List.of("hyperops-no-such-program"), folder, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("hyperops-no-such-program is not installed");
    }

    /** systemd-run and systemctl as scripts that do what their manuals say for the options hyperops uses. */
    private void fakeSystemd(Path calls)
            throws Exception
    {
        Path units = Files.createDirectories(folder.resolve("units"));
        script("systemd-run", """
                #!/bin/sh
                # systemd-run(1), systemd.exec(5): the unit runs the command in its folder with its variables
                while [ "$1" != "--" ]; do
                  case "$1" in
                    --working-directory=*) dir="${1#--working-directory=}" ;;
                    --setenv=*) export "${1#--setenv=}" ;;
                    --unit=*) unit="${1#--unit=}" ;;
                    --quiet|--wait|--collect|--service-type=exec|--description=*|--property=StandardInput=null|--property=RuntimeMaxSec=*) ;;
                    *) echo "systemd-run: unrecognized option '$1'"; exit 1 ;;
                  esac
                  shift
                done
                shift
                # started apart from this script, as systemd starts a unit: killing systemd-run leaves it running
                cd "$dir" && setsid "$@" > /dev/null 2>&1 < /dev/null &
                echo $! > '%1$s/'"$unit"
                while kill -0 "$(cat '%1$s/'"$unit")" 2>/dev/null; do sleep 0.1; done
                rm -f '%1$s/'"$unit"
                """.formatted(units));
        script("systemctl", """
                #!/bin/sh
                case "$1" in
                  kill) unit="${3%%.service}"; echo "$*" >> '%1$s'; pkill -KILL -s "$(cat '%2$s/'"$unit")"; exit 0 ;;
                  show) unit="${4%%.service}"; if [ -e '%2$s/'"$unit" ]; then echo active; else echo inactive; fi ;;
                esac
                """.formatted(calls, units));
    }

    private ProcessCommandRunner unitRunner(Path commands)
    {
        return new ProcessCommandRunner(commands, Optional.of(fakeUnits()));
    }

    private TransientUnit fakeUnits()
    {
        return new TransientUnit(folder.resolve("systemd-run").toString(), folder.resolve("systemctl").toString());
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

    /**
     * What the call threw when its thread was interrupted while the runner waits for its program: once a
     * new folder in {@code commands} has its {@code process} file, the runner's last write before it waits
     * (an interrupt during a write throws ClosedByInterruptException instead), and in a unit once the fake
     * systemd-run has started it (until then, systemd would not know the unit).
     */
    private Throwable interruptedDuring(Path commands, boolean inUnit, Call call)
            throws Exception
    {
        Set<Path> earlier = folders(commands);
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
        // a call that ended already is returned as it is, for the caller's assertions to show
        await("the program runs", () -> !thread.isAlive() || folders(commands).stream()
                .anyMatch(command -> !earlier.contains(command) && waitedFor(command, inUnit)));
        thread.interrupt();
        thread.join(10_000);
        return thrown.get();
    }

    private boolean waitedFor(Path command, boolean inUnit)
    {
        try {
            String process = Files.readString(command.resolve("process")).strip();
            return !inUnit || Files.exists(folder.resolve("units").resolve(process.substring("unit ".length())));
        }
        catch (IOException e) {
            return false;
        }
    }

    private static Set<Path> folders(Path commands)
            throws IOException
    {
        if (!Files.isDirectory(commands)) {
            return Set.of();
        }
        try (Stream<Path> folders = Files.list(commands)) {
            return folders.collect(Collectors.toSet());
        }
    }

    private interface Condition
    {
        boolean holds()
                throws Exception;
    }

    /** Polls for an event; the limit only ends a test whose event never comes. */
    private static void await(String what, Condition condition)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited a minute in vain: " + what);
            }
            Thread.sleep(10);
        }
    }
}
