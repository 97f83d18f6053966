package io.hyperops.dist;

import io.hyperops.testing.TestingSystemd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .deb installed on this machine for real, its daemon started from the installed files under a
 * harness that plays systemd's part, driven through the control socket by root and by real Unix users.
 */
@Tag("install")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestInstalledPackage
{
    private static final String OPERATOR = "hyoptest-op";
    private static final String STRANGER = "hyoptest-none";
    private static final Path HYPEROPS = Path.of("/usr/bin/hyperops");

    private static Path folder;
    private static Path config;
    private static TestingSystemd systemd;
    private static Process daemon;

    @BeforeAll
    static void installAndStart()
            throws Exception
    {
        Path deb;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("hyperops.target")))) {
            deb = files.filter(file -> file.getFileName().toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        Installation.Result install = Installation.run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "--reinstall", deb.toString()));
        assertThat(install.exitCode()).as(install.toString()).isZero();

        // Readable by the test users: they run the CLI with this config.
        folder = Files.createTempDirectory(Path.of("/tmp"), "hyperops-installed-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        config = folder.resolve("hyperops.json");
        Files.writeString(config, """
                { "engine": { "libvirt_uri": "qemu:///system", "data_dir": "%s", "control_socket": "%s" } }
                """.formatted(folder.resolve("data"), folder.resolve("run/control.sock")));
        createUser(OPERATOR, "hypervisor-operator");
        createUser(STRANGER, null);
        systemd = TestingSystemd.listen(folder.resolve("notify.sock"));
        daemon = startDaemon("daemon.log");
        systemd.await("READY=1", 1, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (daemon != null) {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (systemd != null) {
            systemd.close();
        }
        Installation.run(List.of("userdel", OPERATOR));
        Installation.run(List.of("userdel", STRANGER));
    }

    @Test
    @Order(1)
    void thePackageInstalledTheStandardPaths()
    {
        assertThat(HYPEROPS).isSymbolicLink().isExecutable();
        assertThat(Path.of("/usr/lib/hyperops/lib/hyperops.jsa")).as("CDS archive built by postinst").isRegularFile();
        assertThat(Path.of("/usr/lib/hyperops/lib/hyperops-full.jsa")).as("the daemon's and backup commands' CDS archive, trained on the self-test by postinst").isRegularFile();
        assertThat(Path.of("/lib/systemd/system/hyperops.service")).content().contains("Type=notify").contains("WatchdogSec=");
        assertThat(Path.of("/etc/hypervisor/hyperops.json")).isRegularFile();
        assertThat(Path.of("/usr/share/bash-completion/completions/hyperops")).content().contains("run-job");
    }

    @Test
    @Order(9)
    void backupSelfTestPassesWithItsClassesFromTheBackupCommandsArchive()
            throws Exception
    {
        Path classes = folder.resolve("selftest-classes.log");
        Installation.Result result = Installation.run(List.of("env", "HYPEROPS_JAVA_OPTS=-Xlog:class+load=info:file=" + classes,
                HYPEROPS.toString(), "backup", "selftest", "--local", "--size", "8", "--dir", folder.toString(), "--config", config.toString()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("bit-identical to the generated disk").contains("AES-256 through OpenSSL").endsWith("backup self-test passed\n");
        assertThat(Files.readString(classes)).as("Bouncy Castle and zstd-jni come from the archive postinst trained")
                .contains("org.bouncycastle.openpgp.PGPEncryptedDataGenerator source: shared objects file (top)")
                .contains("com.github.luben.zstd.ZstdOutputStreamNoFinalizer source: shared objects file (top)");
    }

    @Test
    @Order(3)
    void anAdminsBackupRunGoesToTheDaemonAndAnOperatorsRunsInItsOwnProcess()
            throws Exception
    {
        Installation.Result admin = Installation.run(List.of(HYPEROPS.toString(), "backup", "run", "hyperops-test-no-such-guest", "--config", config.toString()));
        // an @ argument is a name here, never a file of arguments the root daemon would read for its caller
        Installation.Result atFile = Installation.run(List.of(HYPEROPS.toString(), "backup", "run", "@/etc/shadow", "--config", config.toString()));
        Installation.Result operator = as(OPERATOR, "backup", "run", "hyperops-test-no-such-guest");

        assertThat(admin.exitCode()).as(admin.toString()).isEqualTo(1);
        assertThat(admin.err()).as("the daemon's answer, streamed back").contains("no VM named hyperops-test-no-such-guest");
        assertThat(atFile.exitCode()).as(atFile.toString()).isNotZero();
        assertThat(atFile.err()).contains("@/etc/shadow").doesNotContain("root:");
        assertThat(operator.exitCode()).as(operator.toString()).isNotZero();
        assertThat(operator.err()).as("it ran in-process, not refused").doesNotContain("you need the admin role");
        String audit = Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl"));
        assertThat(audit).as("the daemon ran the admin's")
                .containsPattern("\"uid\":0,\"user\":\"root\",\"role\":\"admin\",\"request\":\\{\"command\":\"task\",\"args\":\\{\"name\":\"backup\",\"arguments\":\\[\"run\",\"hyperops-test-no-such-guest\"\\].*\"outcome\":\"exit 1\"");
        assertThat(audit).as("and refused the operator's, who ran it in-process")
                .containsPattern("\"user\":\"" + OPERATOR + "\",\"role\":\"operator\",\"request\":\\{\"command\":\"task\".*\"outcome\":\"refused\"");
    }

    @Test
    @Order(6)
    void theDaemonWarmsUpTheBackupPipelineHalfAMinuteAfterItStarts()
            throws Exception
    {
        // nice 19 on a busy two-CPU machine: generous, since only that it happens is tested here
        awaitContent(folder.resolve("daemon.log"), "Backup pipeline warmed up in ", Duration.ofMinutes(5));
        assertThat(Files.readString(folder.resolve("daemon.log"))).doesNotContain("Backup warm-up failed");
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(Path::getFileName).map(Path::toString)).as("its scratch folder went").noneMatch(name -> name.startsWith("hyperops-warmup-"));
        }
    }

    @Test
    @Order(2)
    void theDaemonIsReadyAndPetsTheWatchdogWhileHealthy()
            throws Exception
    {
        assertThat(systemd.assignments()).anyMatch(assignment -> assignment.startsWith("STATUS=Scheduling"));
        systemd.await("WATCHDOG=1", 3, Duration.ofSeconds(30));
        assertThat(folder.resolve("run")).satisfies(run -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwxr-x---"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("run/control.sock")))).isEqualTo("rw-rw----");
    }

    @Test
    @Order(4)
    void runJobGoesThroughTheSocketAndLogsFollowShowsItsLines()
            throws Exception
    {
        Path followed = folder.resolve("logs-follow.out");
        // -n 1: the follower prints the log's last line once it is attached; only then does the run start,
        // so the run's lines are new ones to it (with -n 0 a slow follower attached after the run had ended)
        Process logs = new ProcessBuilder(HYPEROPS.toString(), "logs", "-f", "-n", "1", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(followed.toFile()).start();
        try {
            awaitContent(followed, "\n");
            Installation.Result run = Installation.run(List.of(HYPEROPS.toString(), "run-job", "metrics", "--wait", "--config", config.toString()));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).containsPattern("run metrics-\\S+ started").contains(" success: wrote metrics-");
            assertThat(run.err()).doesNotContain("in-process");
            String runId = run.out().replaceAll("(?s).*run (metrics-\\S+) started.*", "$1");
            awaitContent(followed, "job=metrics run=" + runId);

            Installation.Result follow = Installation.run(List.of(HYPEROPS.toString(), "run-job", "metrics", "--follow", "--config", config.toString()));
            assertThat(follow.exitCode()).as(follow.toString()).isZero();
            assertThat(follow.out()).contains("Run metrics-").contains("started (trigger: manual)").contains("ended: success");
        }
        finally {
            logs.destroy();
        }
    }

    @Test
    @Order(5)
    void rolesComeFromTheCallersGroupsAndEveryRequestIsAudited()
            throws Exception
    {
        // health is operator-allowed; on a container host it may well end in warning (1) or failed (2).
        Installation.Result operatorRun = as(OPERATOR, "run-job", "health", "--wait");
        assertThat(operatorRun.exitCode()).as(operatorRun.toString()).isIn(0, 1, 2);
        assertThat(operatorRun.out()).containsPattern("run health-\\S+ started");

        Installation.Result operatorReload = as(OPERATOR, "config", "reload");
        assertThat(operatorReload.exitCode()).as(operatorReload.toString()).isEqualTo(77);
        assertThat(operatorReload.err()).contains("permission denied: to reload the config you need the admin role; you are operator");

        Installation.Result strangerStatus = as(STRANGER, "status");
        assertThat(strangerStatus.exitCode()).as(strangerStatus.toString()).isEqualTo(77);
        assertThat(strangerStatus.err()).contains("permission denied on the control socket");

        Installation.Result rootReload = Installation.run(List.of(HYPEROPS.toString(), "config", "reload", "--config", config.toString()));
        assertThat(rootReload.exitCode()).as(rootReload.toString()).isZero();

        String audit = Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl"));
        assertThat(audit)
                // answered with the run's outcome, which may be a warning or a failure on this host
                .containsPattern("\"user\":\"" + OPERATOR + "\",\"role\":\"operator\",\"request\":\\{\"command\":\"run-job\".*\"outcome\":\"(ok|exit [12])\"")
                .containsPattern("\"user\":\"" + OPERATOR + "\",\"role\":\"operator\",\"request\":\\{\"command\":\"config-reload\".*\"outcome\":\"refused\"")
                .containsPattern("\"uid\":0,\"user\":\"root\",\"role\":\"admin\",\"request\":\\{\"command\":\"config-reload\".*\"outcome\":\"ok\"");
    }

    @Test
    @Order(7)
    void sigkillLosesNoHistoryAndLeavesNoSocketThatBlocksTheNextStart()
            throws Exception
    {
        Installation.Result before = Installation.run(List.of(HYPEROPS.toString(), "history", "--json", "--config", config.toString()));
        List<String> runsBefore = runIds(before.out());
        assertThat(runsBefore).hasSizeGreaterThanOrEqualTo(3);

        daemon.destroyForcibly();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(folder.resolve("run/control.sock")).as("left behind by SIGKILL").exists();

        daemon = startDaemon("daemon-after-kill.log");
        systemd.await("READY=1", 2, Duration.ofSeconds(60));
        Installation.Result after = Installation.run(List.of(HYPEROPS.toString(), "history", "--json", "--config", config.toString()));
        // every finished run is still there; a run the kill cut short may join them, closed as interrupted
        assertThat(runIds(after.out())).containsAll(runsBefore);
        assertThat(Files.readString(folder.resolve("daemon-after-kill.log"))).contains("Removing stale control socket");
    }

    @Test
    @Order(8)
    void sigtermStopsTheDaemonCleanlyWithStopping()
            throws Exception
    {
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as("SuccessExitStatus=143 in the unit").isIn(0, 143);
        systemd.await("STOPPING=1", 1, Duration.ofSeconds(10));
        assertThat(folder.resolve("run/control.sock")).doesNotExist();
        assertThat(Files.readString(folder.resolve("daemon-after-kill.log"))).contains("hyperops stopped");
        daemon = null;
    }

    @Test
    @Order(10)
    void anUpdateTheDaemonWasKilledInIsFinishedByTheNextDaemonOnceItsStepHasEnded()
            throws Exception
    {
        // A daemon killed while an update's program runs (an upgrade of hyperops restarts it half-way):
        // the program goes on, and the next daemon waits for it, judges the update and keeps it.
        Path work = Files.createDirectories(folder.resolve("update"));
        Path applied = work.resolve("applied");
        Path rolledBack = work.resolve("rolled-back");
        Path updateConfig = work.resolve("hyperops.json");
        Files.writeString(updateConfig, """
                {
                  "engine": { "libvirt_uri": "test:///default", "data_dir": "%1$s/data", "control_socket": "%1$s/control.sock" },
                  "jobs": {
                    "backup": { "enabled": false },
                    "update": { "settings": {
                      "require_backup": false, "health_job": "", "grace_period": "30s", "gate_interval": "2s",
                      "providers": [ { "type": "command", "name": "site", "check": ["true"],
                        "apply": ["sh", "-c", "sleep 8; echo applied > '%2$s'"],
                        "rollback": ["sh", "-c", "echo rolled-back >> '%3$s'"], "rollback_failed_apply": true } ] } }
                  }
                }
                """.formatted(work, applied, rolledBack));
        Process first = startDaemon(updateConfig, work.resolve("first.log"));
        Process next = null;
        try {
            awaitFile(work.resolve("control.sock"));
            Installation.Result started = Installation.run(List.of(HYPEROPS.toString(), "run-job", "update", "--config", updateConfig.toString()));
            assertThat(started.exitCode()).as(started.toString()).isZero();
            // the step's program has started once its folder names its process
            awaitStepStarted(work.resolve("data/hyperops/update-commands"));

            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(applied).as("the step is still running").doesNotExist();
            next = startDaemon(updateConfig, work.resolve("next.log"));

            awaitContent(work.resolve("next.log"), "The update cut off in run", Duration.ofSeconds(90));
            Installation.Result history = Installation.run(List.of(HYPEROPS.toString(), "update", "history", "--limit", "2", "--config", updateConfig.toString()));
            assertThat(history.out()).as(history.toString()).containsPattern("apply +applied +update-\\S+ +finished the update of run update-\\S+, cut off while applying")
                    .containsPattern("apply +applying +update-\\S+ +applying site");
            assertThat(applied).content().isEqualToIgnoringNewLines("applied");
            assertThat(rolledBack).doesNotExist();
            assertThat(Files.readString(work.resolve("next.log"))).contains("Waiting for 'sh -c sleep 8");
        }
        finally {
            first.destroyForcibly();
            if (next != null) {
                next.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startDaemon(Path daemonConfig, Path log)
            throws IOException
    {
        return new ProcessBuilder(HYPEROPS.toString(), "daemon", "--config", daemonConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitStepStarted(Path commands)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(commands)) {
                try (Stream<Path> folders = Files.list(commands)) {
                    if (folders.anyMatch(command -> Files.exists(command.resolve("process")) && readQuietly(command.resolve("command")).contains("sleep 8"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the update's step did not start in " + commands);
    }

    private static String readQuietly(Path file)
    {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            return "";
        }
    }

    private static void awaitFile(Path file)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    private static Process startDaemon(String logName)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(HYPEROPS.toString(), "daemon", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(logName).toFile());
        Map<String, String> environment = builder.environment();
        environment.put("NOTIFY_SOCKET", systemd.socket().toString());
        environment.put("WATCHDOG_USEC", "1000000");
        return builder.start();
    }

    private static Installation.Result as(String user, String... arguments)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--", HYPEROPS.toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--config", config.toString()));
        return Installation.run(command);
    }

    private static void createUser(String name, String group)
            throws Exception
    {
        Installation.run(List.of("userdel", name));
        List<String> command = new ArrayList<>(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"));
        if (group != null) {
            command.addAll(List.of("--groups", group));
        }
        command.add(name);
        Installation.Result result = Installation.run(command);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static void awaitContent(Path file, String text)
            throws Exception
    {
        awaitContent(file, text, Duration.ofSeconds(30));
    }

    private static void awaitContent(Path file, String text, Duration timeout)
            throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + file + ": " + (Files.exists(file) ? Files.readString(file) : "(missing)"));
            }
            Thread.sleep(100);
        }
    }

    private static List<String> runIds(String historyJson)
    {
        return java.util.regex.Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]+)\"").matcher(historyJson).results().map(match -> match.group(1)).toList();
    }
}
