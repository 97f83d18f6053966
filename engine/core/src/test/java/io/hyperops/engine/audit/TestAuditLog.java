package io.hyperops.engine.audit;

import io.hyperops.engine.TestingEngine;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.spi.AuditEvent;
import io.hyperops.testing.TestingSystemd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log's hash chain catches edits, deletions and a cut-off tail, and passes an intact log. */
final class TestAuditLog
{
    @TempDir
    Path folder;

    @Test
    void anIntactLogPasses()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isTrue();
        assertThat(verdict.entries()).isEqualTo(5);
    }

    @Test
    void anEditedEntryIsReportedAsTheFirstBrokenOne()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.set(2, lines.get(2).replace("\"outcome\":\"success\"", "\"outcome\":\"refused\""));
        Files.write(trail.file(), lines);

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.brokenAtLine()).isEqualTo(3);
        assertThat(verdict.reason()).contains("line 3 was edited");
        assertThat(verdict.entries()).as("intact before the edited line").isEqualTo(2);
    }

    @Test
    void aDeletedHeadFileIsReportedAndAnInterruptedCallerStillGetsItsLineWritten()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        Files.delete(trail.headFile());

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.reason()).contains("the head file is missing");

        // a request served while the daemon stops: its thread is interrupted, its audit line must still go in
        Thread.currentThread().interrupt();
        try {
            trail.record(new AuditEvent("test.append", "guest-6", "success", Map.of()));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        }
        finally {
            Thread.interrupted();
        }
        // the next append does not chain over the missing head file unseen: the break goes on record first
        List<String> lines = Files.readAllLines(trail.file());
        assertThat(lines).hasSize(7).last().asString().contains("guest-6");
        assertThat(lines.get(5)).contains(AuditChain.CHAIN_BREAK).contains("the head file is missing");
        assertThat(trail.verify().intact()).isFalse();
        assertThat(trail.verify().reason()).contains("records a break found by the writer");
    }

    @Test
    void aCutOffTailIsNotHiddenByTheNextAppend()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        Files.write(trail.file(), lines.subList(0, 3));
        assertThat(trail.verify().reason()).contains("its tail was cut off");

        trail.record(new AuditEvent("test.append", "guest-6", "success", Map.of()));

        assertThat(trail.verify().intact()).as("chained over, the cut would have vanished").isFalse();
        assertThat(Files.readAllLines(trail.file()).get(3)).contains(AuditChain.CHAIN_BREAK).contains("the head file says entry 5, the log ends at entry 3");
    }

    @Test
    void aDeletedEntryIsReported()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.remove(1);
        Files.write(trail.file(), lines);

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.brokenAtLine()).isEqualTo(2);
        assertThat(verdict.reason()).contains("expected entry 2, found 3").contains("deleted");
    }

    @Test
    void aTruncatedTailIsCaughtByTheHeadFile()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = Files.readAllLines(trail.file());
        Files.write(trail.file(), lines.subList(0, 3));

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.reason()).contains("ends at entry 3 but the head file says 5").contains("cut off");
    }

    @Test
    void anEditedLastEntryIsCaughtByTheHeadFile()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.set(4, lines.get(4).replace("guest-4", "guest-x"));
        Files.write(trail.file(), lines);

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.reason()).contains("last entry does not match the head file");
    }

    @Test
    void concurrentAppendsKeepTheChain()
            throws Exception
    {
        AuditTrail trail = trail("none");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                int id = writer;
                writers.add(threads.submit(() -> {
                    for (int index = 0; index < 50; index++) {
                        trail.record(new AuditEvent("test.append", "writer-" + id, "success", Map.of("index", index)));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        }
        finally {
            threads.shutdownNow();
        }
        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).as(verdict.reason()).isTrue();
        assertThat(verdict.entries()).isEqualTo(200);
    }

    @Test
    void linesAreCopiedToSyslogWhenAsked()
            throws Exception
    {
        try (TestingSystemd syslog = TestingSystemd.listen(folder.resolve("syslog.sock"))) {
            AuditTrail trail = trail("syslog");
            trail.record(new AuditEvent("vm.restart", "web-1", "success", Map.of()));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (syslog.assignments().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(syslog.assignments()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("<86>hyperops-audit: {\"seq\":1,\"prev\":\"" + AuditChain.START + "\"")
                    .contains("\"action\":\"vm.restart\",\"target\":\"web-1\""));
        }
    }

    @Test
    void linesAreSentToTheJournalsOwnSocketWhenAsked()
            throws Exception
    {
        try (TestingSystemd journald = TestingSystemd.listen(folder.resolve("journal.sock"))) {
            AuditTrail trail = trail("journal");
            trail.record(new AuditEvent("backup.restore", "web-1", "success", Map.of()));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (journald.assignments().stream().noneMatch(line -> line.startsWith("MESSAGE=")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(journald.assignments()).contains("SYSLOG_IDENTIFIER=hyperops-audit")
                    .anySatisfy(line -> assertThat(line).startsWith("MESSAGE={\"seq\":1,").contains("\"action\":\"backup.restore\""));
        }
    }

    @Test
    void aTornLastLineDoesNotStopAuditingAndStaysVisible()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        // a crash or a full disk in the middle of a line
        Files.writeString(trail.file(), "{\"seq\":6,\"prev\":\"0a1b", java.nio.file.StandardOpenOption.APPEND);

        trail.record(new AuditEvent("vm.restart", "guest-6", "success", Map.of()));

        List<String> lines = Files.readAllLines(trail.file());
        assertThat(lines).hasSize(7);
        assertThat(lines.get(6)).startsWith("{\"seq\":6,").contains("guest-6");
        // the torn line is a crash's remains, chained over: counted, not a break for ever after
        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).as(verdict.reason()).isTrue();
        assertThat(verdict.tornLines()).isEqualTo(1);
        assertThat(verdict.entries()).isEqualTo(6);

        // and what comes after it is still checked: an edit there is found
        trail.record(new AuditEvent("vm.restart", "guest-7", "success", Map.of()));
        trail.record(new AuditEvent("vm.restart", "guest-8", "success", Map.of()));
        lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.set(7, lines.get(7).replace("guest-7", "guest-X"));
        Files.write(trail.file(), lines);
        assertThat(trail.verify().intact()).isFalse();
        assertThat(trail.verify().reason()).contains("was edited");
    }

    @Test
    void anUnreadableLineTheNextEntryDoesNotChainOverIsABreak()
            throws Exception
    {
        AuditTrail trail = trail("none");
        appendFive(trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.set(2, "not a line of ours");
        Files.write(trail.file(), lines);

        AuditChain.Verdict verdict = trail.verify();

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.brokenAtLine()).isEqualTo(3);
        assertThat(verdict.reason()).contains("not a JSON line");
    }

    @Test
    void anotherProcessAppendingAtTheSameTimeKeepsTheChain()
            throws Exception
    {
        AuditTrail trail = trail("none");
        Path config = folder.resolve("config.json");
        Process other = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                OtherProcess.class.getName(), config.toString(), "500").redirectErrorStream(true).start();
        for (int index = 0; index < 500; index++) {
            trail.record(new AuditEvent("test.append", "this-process", "success", Map.of("index", index)));
        }
        String output = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(other.waitFor()).as(output).isZero();

        AuditChain.Verdict verdict = trail.verify();
        assertThat(verdict.intact()).as(verdict.reason()).isTrue();
        assertThat(verdict.entries()).isEqualTo(1000);
    }

    /** Appends to the audit log of a config file from a process of its own. */
    public static final class OtherProcess
    {
        public static void main(String[] arguments)
                throws Exception
        {
            EngineConfig loaded = TestingEngine.load(Path.of(arguments[0]));
            AuditTrail trail = new AuditTrail(loaded.engine().paths(), JsonMapper.create(), Clock.systemUTC(), new AuditForwarding(new CurrentConfig(loaded)));
            for (int index = 0; index < Integer.parseInt(arguments[1]); index++) {
                trail.record(new AuditEvent("test.append", "other-process", "success", Map.of("index", index)));
            }
        }
    }

    private AuditTrail trail(String forward)
            throws Exception
    {
        Path config = TestingEngine.writeConfig(folder, "{}");
        Files.writeString(config, Files.readString(config).replace("\"time_zone\": \"UTC\"",
                "\"time_zone\": \"UTC\", \"audit_forward\": \"" + forward + "\", \"syslog_socket\": \"" + folder.resolve("syslog.sock") + "\", \"journal_socket\": \"" + folder.resolve("journal.sock") + "\""));
        EngineConfig loaded = TestingEngine.load(config);
        return new AuditTrail(loaded.engine().paths(), JsonMapper.create(), Clock.systemUTC(), new AuditForwarding(new CurrentConfig(loaded)));
    }

    private static void appendFive(AuditTrail trail)
    {
        for (int index = 0; index < 5; index++) {
            trail.record(new AuditEvent("vm.restart", "guest-" + index, "success", Map.of("attempt", index)));
        }
    }
}
