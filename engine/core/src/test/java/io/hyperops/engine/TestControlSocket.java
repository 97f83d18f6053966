package io.hyperops.engine;

import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.spi.HostPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI through a running engine's control socket (as root here, so with the admin role). */
final class TestControlSocket
{
    @TempDir
    Path folder;

    @Test
    void aSocketInAFolderTheDaemonDidNotMakeLeavesThatFoldersPermissionsAlone()
            throws Exception
    {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            assertThat(TestCommandLine.run("status", "--config", config.toString()).exitCode()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwxr-xr-x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("control.sock")))).isEqualTo("rw-rw----");
        }
    }

    @Test
    void aSocketInAFolderOthersMayWriteToIsRefused()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            assertThatThrownBy(() -> {
                try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
                    engine.startScheduling();
                }
            }).hasStackTraceContaining("which others may write to; put it in a folder of its own");
            assertThat(folder.resolve("control.sock")).doesNotExist();
        }
        finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void theSocketAnswersFromTheMomentItsFileAppears()
            throws Exception
    {
        // A client that finds the file but cannot connect says "the daemon is not running" (a CI failure).
        Path config = TestingEngine.writeConfig(folder, "{}");
        Path socket = folder.resolve("control.sock");
        for (int round = 0; round < 5; round++) {
            try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
                CompletableFuture<Void> starting = CompletableFuture.runAsync(engine::startScheduling);
                while (!Files.exists(socket) && !starting.isDone()) {
                    Thread.onSpinWait();
                }
                java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket)).close();
                starting.join();
            }
            assertThat(socket).doesNotExist();
            assertThat(folder).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith(".control.sock"));
        }
    }

    @Test
    void runJobThroughTheDaemonWaitsAndReportsTheOutcome()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            TestCommandLine.Result result = TestCommandLine.run("run-job", "counter", "--wait", "--config", config.toString());

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).containsPattern("run counter-\\S+ started").contains("success: count is 1");
            assertThat(result.err()).doesNotContain("in-process");
            assertThat(Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl")))
                    .contains("\"role\":\"admin\"")
                    .contains("\"command\":\"run-job\"")
                    .contains("\"outcome\":\"ok\"");

            engine.scheduler().pause("counter");
            TestCommandLine.Result jobs = TestCommandLine.run("jobs", "--config", config.toString());
            assertThat(jobs.out()).as("paused is only known to the daemon").containsPattern("counter\\s+paused\\s+daily\\s+\\S+ \\S+ UTC\\s+success");
            engine.scheduler().resume("counter");
            String runId = result.out().replaceAll("(?s).*run (counter-\\S+) started.*", "$1");
            assertThat(TestCommandLine.run("history", "--json", "--config", config.toString()).out()).contains("\"run_id\" : \"" + runId + "\"");

            TestCommandLine.Result verified = TestCommandLine.run("audit", "verify", "--config", config.toString());
            assertThat(verified.exitCode()).as(verified.toString()).isZero();
            assertThat(verified.out()).contains("intact");

            TestCommandLine.Result status = TestCommandLine.run("status", "--config", config.toString());
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).contains("up since").contains("config: " + config).contains("running: none");

            Path audit = folder.resolve("data/hyperops/audit/audit.jsonl");
            Files.writeString(audit, Files.readString(audit).replaceFirst("\"role\":\"admin\"", "\"role\":\"operator\""));
            TestCommandLine.Result tampered = TestCommandLine.run("audit", "verify", "--config", config.toString());
            assertThat(tampered.exitCode()).isEqualTo(2);
            assertThat(tampered.out()).contains("BROKEN at line 1: line 1 was edited");

            // a job name that is a path: refused, never read by the daemon
            TestCommandLine.Result path = TestCommandLine.run("history", "/etc", "--config", config.toString());
            assertThat(path.exitCode()).isNotZero();
            assertThat(path.err()).contains("'/etc' is no job name");

            // --json without --wait: the submission, as JSON, on stdout
            TestCommandLine.Result submitted = TestCommandLine.run("run-job", "counter", "--json", "--config", config.toString());
            assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(submitted.out()).path("run_id").asText()).startsWith("counter-");
        }
    }

    @Test
    void aTaskCommandMarkedInDaemonRunsInTheDaemonUnlessLocalAndIsAudited()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        TestCommandLine.Result alone = TestCommandLine.run("testing-daemon-echo", "--config", config.toString(), "a", "--fail");
        assertThat(alone.exitCode()).as("no daemon: in-process, " + alone).isEqualTo(3);
        assertThat(alone.out()).contains("arguments: a --fail");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            String daemonPaths = "paths: " + System.identityHashCode(engine.instance(HostPaths.class));

            TestCommandLine.Result inDaemon = TestCommandLine.run("testing-daemon-echo", "--config", config.toString(), "a", "b");
            TestCommandLine.Result local = TestCommandLine.run("testing-daemon-echo", "--local", "--config", config.toString(), "a", "b");
            TestCommandLine.Result failing = TestCommandLine.run("testing-daemon-echo", "--config", config.toString(), "--fail");

            assertThat(inDaemon.exitCode()).as(inDaemon.toString()).isZero();
            assertThat(inDaemon.out()).contains("arguments: a b", "terminal: false", daemonPaths);
            assertThat(inDaemon.err()).contains("to stderr");
            assertThat(local.exitCode()).as(local.toString()).isZero();
            assertThat(local.out()).contains("arguments: a b").doesNotContain(daemonPaths);
            assertThat(failing.exitCode()).as("the command's exit code comes back").isEqualTo(3);
            assertThat(Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl")))
                    .contains("\"command\":\"task\",\"args\":{\"name\":\"testing-daemon-echo\",\"arguments\":[\"a\",\"b\"]")
                    .containsPattern("\"arguments\":\\[\"--fail\"\\].*\"outcome\":\"exit 3\"");

            int runs = TestingPlugin.DaemonEchoCommand.RUNS.get();
            TestCommandLine.Result refused = TestCommandLine.run("testing-daemon-echo", "--config", config.toString(), "--throw");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("bad argument --throw");
            assertThat(TestingPlugin.DaemonEchoCommand.RUNS.get()).as("run once, in the daemon, not again in-process").isEqualTo(runs + 1);

            Path otherConfig = Files.writeString(folder.resolve("other.json"), Files.readString(config));
            TestCommandLine.Result elsewhere = TestCommandLine.run("testing-daemon-echo", "--config", otherConfig.toString(), "a");
            assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isZero();
            assertThat(elsewhere.out()).as("another config file: in-process").contains("arguments: a").doesNotContain(daemonPaths);
        }
    }

    @Test
    void twoRequestsForOneJobAreSkippedOrQueuedPerPolicyAndTheCliSaysWhich()
            throws Exception
    {
        Path release = folder.resolve("release");
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "overlap": "skip", "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(release, started));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            CompletableFuture<TestCommandLine.Result> first = CompletableFuture.supplyAsync(() -> TestCommandLine.run("run-job", "sleepy", "--wait", "--config", config.toString()));
            Await.until("the first run to start", () -> Files.exists(started));

            TestCommandLine.Result second = TestCommandLine.run("run-job", "sleepy", "--config", config.toString());
            assertThat(second.exitCode()).isEqualTo(ExitCodes.ALREADY_RUNNING);
            assertThat(second.err()).contains("not started: run " + Files.readString(started) + " is still going (overlap: skip)");

            Files.createFile(release);
            assertThat(first.get().exitCode()).as(first.get().toString()).isZero();
        }
    }

    @Test
    void aQueuedRequestIsReportedAsQueuedAndRunsAfterwards()
            throws Exception
    {
        Path release = folder.resolve("release");
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "overlap": "queue", "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(release, started));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            TestCommandLine.Result first = TestCommandLine.run("run-job", "sleepy", "--config", config.toString());
            assertThat(first.out()).contains("started");
            Await.until("the first run to start", () -> Files.exists(started));

            TestCommandLine.Result second = TestCommandLine.run("run-job", "sleepy", "--config", config.toString());
            assertThat(second.exitCode()).isZero();
            assertThat(second.out()).contains("queued (queued behind run " + Files.readString(started) + ")");

            Files.createFile(release);
            Await.until("both runs to finish", () -> engine.history().list(java.util.Optional.of("sleepy"), 10).stream().filter(run -> !run.running()).count() == 2);
        }
    }

    @Test
    void pauseResumeReloadAndLogsWork()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        io.hyperops.engine.logging.LogSetup.withFiles(folder.resolve("data/logs"), io.hyperops.engine.logging.LogSetup.Console.QUIET);
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();

            assertThat(TestCommandLine.run("pause", "counter", "--config", config.toString()).out()).contains("job counter paused");
            assertThat(engine.scheduler().paused()).containsExactly("counter");
            assertThat(TestCommandLine.run("resume", "counter", "--config", config.toString()).out()).contains("job counter resumed; next fire");
            assertThat(engine.scheduler().paused()).isEmpty();

            Files.writeString(config, Files.readString(config).replace("\"jobs\": {}", "\"jobs\": { \"counter\": { \"schedule\": \"nope\" } }"));
            TestCommandLine.Result refused = TestCommandLine.run("config", "reload", "--config", config.toString());
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFIG);
            assertThat(refused.err()).contains("refused").contains("jobs.counter.schedule");

            // The refused edit left the old schedule in force; a CLI reading the broken file refuses too.
            assertThat(engine.config().job("counter").schedule().expression()).isEqualTo("daily");
            TestingEngine.writeConfig(folder, "{}");

            TestCommandLine.Result run = TestCommandLine.run("run-job", "counter", "--follow", "--config", config.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Counted to 1").contains("success: count is 1");

            // -n counts the lines asked for: the counter's last line, although the engine logged others after it
            engine.scheduler().pause("counter");
            TestCommandLine.Result last = TestCommandLine.run("logs", "--job", "counter", "-n", "1", "--config", config.toString());
            assertThat(last.exitCode()).as(last.toString()).isZero();
            assertThat(last.out().lines().toList()).singleElement().asString().contains("job=counter");
            // a caller's text in an error message cannot forge a line of the engine log
            TestCommandLine.Result forged = TestCommandLine.run("logs", "--since", "x\n2026-11-27T00:00:00.000Z INFO  [x] forged job=backup run=x - FORGED", "--config", config.toString());
            assertThat(forged.exitCode()).isNotZero();
            assertThat(Files.readAllLines(folder.resolve("data/logs/hyperops.log"))).noneMatch(line -> line.startsWith("2026-11-27T00:00:00.000Z"))
                    .anyMatch(line -> line.contains("FORGED"));
            TestCommandLine.Result negative = TestCommandLine.run("logs", "-n", "-1", "--config", config.toString());
            assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(negative.err()).contains("-n must be 0 or more, was -1");
        }
        finally {
            io.hyperops.engine.logging.LogSetup.consoleOnly(io.hyperops.engine.logging.LogSetup.Console.QUIET);
        }
    }

    @Test
    void aFollowerThatGoesAwayFreesItsThreadEvenWhenTheLogIsQuiet()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(folder.resolve("control.sock")))) {
                channel.write(java.nio.ByteBuffer.wrap("{\"v\":1,\"command\":\"logs\",\"args\":{\"follow\":true,\"job\":\"nothing-logs-this\"}}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                Await.until("the follow to be served", () -> followers() == 1);
            }
            // Gone: the next heartbeat (after 5 s of quiet) fails to write and ends the follow.
            Await.until("the follower's thread to end", java.time.Duration.ofSeconds(20), () -> followers() == 0);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aClientThatSaysNothingIsDisconnectedAndATooLongRequestRefused()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            try (java.nio.channels.SocketChannel silent = connect()) {
                // the daemon closes it after its request timeout: the read sees the end of the stream, not a hang
                assertThat(silent.read(java.nio.ByteBuffer.allocate(16))).isEqualTo(-1);
            }
            try (java.nio.channels.SocketChannel talkative = connect()) {
                talkative.write(java.nio.ByteBuffer.wrap(("{\"v\":1,\"command\":\"" + "x".repeat(70_000) + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertThat(response(talkative)).contains("\"exit_code\":" + ExitCodes.USAGE, "unreadable request");
            }
        }
    }

    @Test
    void aCallerThatLeavesStopsItsCommandInTheDaemonEvenWithoutOutputPendingAndOneRunsAtATime()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            try (java.nio.channels.SocketChannel channel = connect()) {
                String request = "{\"v\":1,\"command\":\"task\",\"args\":{\"name\":\"testing-daemon-echo\",\"arguments\":[\"--block\"],\"config\":\"" + config + "\"}}\n";
                channel.write(java.nio.ByteBuffer.wrap(request.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                java.io.BufferedReader lines = new java.io.BufferedReader(java.nio.channels.Channels.newReader(channel, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(lines.readLine()).as("the command runs and says so").contains("blocking");

                // one command at a time in the daemon: a second caller runs its own in-process
                TestCommandLine.Result second = TestCommandLine.run("testing-daemon-echo", "--config", config.toString(), "second");
                assertThat(second.exitCode()).as(second.toString()).isZero();
                assertThat(second.out()).contains("arguments: second").doesNotContain("paths: " + System.identityHashCode(engine.instance(HostPaths.class)));
            }

            assertThat(TestingPlugin.DaemonEchoCommand.INTERRUPTED.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the command was stopped").isTrue();
            Await.until("the audit to record the stopped command", () -> audit().contains("\"outcome\":\"exit 5\""));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreToldToRetry()
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            java.util.List<java.nio.channels.SocketChannel> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < io.hyperops.engine.control.ControlServerAccess.maxConnections(); i++) {
                    open.add(connect());
                }
                Await.until("every connection to be served", () -> serving() == io.hyperops.engine.control.ControlServerAccess.maxConnections());
                try (java.nio.channels.SocketChannel oneMore = connect()) {
                    assertThat(response(oneMore)).contains("\"exit_code\":" + ExitCodes.UNAVAILABLE, "connections already");
                }
            }
            finally {
                for (java.nio.channels.SocketChannel channel : open) {
                    channel.close();
                }
            }
            // the slots come back (each as its server thread sees the end of its stream): a request is served again
            Await.until("a request to be served again", () -> TestCommandLine.run("status", "--config", config.toString()).exitCode() == 0);
        }
    }

    @Test
    void oneUserHoldsAQuarterOfTheConnectionsAndRootIsNotHeldBackByThem()
            throws Exception
    {
        // a non-root peer for real: nobody, whose group is made the operator group, runs a small Python
        // client through setpriv; it holds its quarter of the slots, is refused one more, and waits
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = TestingEngine.writeConfig(folder, "{}");
        Files.writeString(config, Files.readString(config).replace("\"time_zone\": \"UTC\"", "\"time_zone\": \"UTC\", \"operator_group\": \"nogroup\""));
        Path client = Files.writeString(folder.resolve("peer.py"), """
                import socket, sys
                held = []
                for i in range(int(sys.argv[2])):
                    peer = socket.socket(socket.AF_UNIX)
                    peer.connect(sys.argv[1])
                    held.append(peer)
                extra = socket.socket(socket.AF_UNIX)
                extra.connect(sys.argv[1])
                extra.settimeout(20)
                answer = b""
                while True:
                    chunk = extra.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
                print(answer.decode().strip())
                print("HOLDING", flush=True)
                sys.stdin.readline()
                """);
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rw-r--r--"));
        try (Engine engine = TestingEngine.create(config, Clock.systemUTC())) {
            engine.startScheduling();
            Process peer = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", client.toString(),
                    folder.resolve("control.sock").toString(), String.valueOf(io.hyperops.engine.control.ControlServerAccess.maxPerUser()))
                    .redirectErrorStream(true).start();
            try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                String answer = lines.readLine();
                assertThat(answer).as("the peer's refusal").contains("\"exit_code\":" + ExitCodes.UNAVAILABLE)
                        .contains("nobody has " + io.hyperops.engine.control.ControlServerAccess.maxPerUser() + " connections to the daemon open already");
                assertThat(lines.readLine()).isEqualTo("HOLDING");

                TestCommandLine.Result status = TestCommandLine.run("status", "--config", config.toString());

                assertThat(status.exitCode()).as(status.toString()).isZero();
            }
            finally {
                peer.getOutputStream().close();
                peer.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
                peer.destroyForcibly();
            }
        }
    }

    private String audit()
    {
        try {
            return Files.readString(folder.resolve("data/hyperops/audit/audit.jsonl"));
        }
        catch (java.io.IOException e) {
            return "";
        }
    }

    private java.nio.channels.SocketChannel connect()
            throws java.io.IOException
    {
        return java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(folder.resolve("control.sock")));
    }

    private static String response(java.nio.channels.SocketChannel channel)
            throws java.io.IOException
    {
        return new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long serving()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("hyperops-control-") && !thread.getName().equals("hyperops-control-accept")
                        && !thread.getName().equals("hyperops-control-deadlines"))
                .filter(thread -> java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("requestLine")))
                .count();
    }

    private static long followers()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("hyperops-control-") && !thread.getName().equals("hyperops-control-accept"))
                .filter(thread -> java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().endsWith("LogTail")))
                .count();
    }
}
