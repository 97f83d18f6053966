package io.hyperops.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hyperops.engine.json.AtomicFiles;
import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * The audit log: {@code <state_dir>/audit/audit.jsonl}, one JSON object per line, appended and
 * fsynced under an OS lock so the daemon and a {@code run-job} process never interleave lines, each
 * chained to the one before by its hash ({@link AuditChain}), and optionally copied to the journal or
 * syslog so a copy lives off this file.
 */
public final class AuditTrail
        implements AuditLog
{
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    // The OS lock keeps processes apart; threads of this JVM must queue here first, because a second
    // lock by the same process throws, and closing any channel drops all of this process's locks.
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path file;
    private final Path headFile;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final AuditForwarding forwarding;

    @Inject
    public AuditTrail(HostPaths paths, ObjectMapper mapper, Clock clock, AuditForwarding forwarding)
    {
        this.file = requireNonNull(paths, "paths is null").stateDir().resolve("audit").resolve("audit.jsonl");
        this.headFile = file.resolveSibling("audit.head.json");
        this.forwarding = requireNonNull(forwarding, "forwarding is null");
        // One event per line: the shared mapper indents, this one must not.
        this.mapper = requireNonNull(mapper, "mapper is null").copy().disable(SerializationFeature.INDENT_OUTPUT);
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Path file()
    {
        return file;
    }

    public Path headFile()
    {
        return headFile;
    }

    @Override
    public void record(AuditEvent event)
    {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("uid", uid());
        line.put("user", System.getProperty("user.name"));
        line.put("role", "engine");
        line.put("action", event.action());
        line.put("target", event.target());
        line.put("outcome", event.outcome());
        line.put("details", event.details());
        append(line);
    }

    /**
     * Appends a ready-made line (the control socket adds the caller's uid, user and role itself), chained
     * to the line before it, then moves the head file on.
     */
    public void append(Map<String, Object> line)
    {
        String text;
        // A file channel opened or written on an interrupted thread closes at once: the audit line of a request
        // served while the daemon stops would be lost. The interrupt is kept for the caller.
        boolean interrupted = Thread.interrupted();
        IN_PROCESS.lock();
        try {
            Files.createDirectories(file.getParent());
            // READ as well: the tail is read through this channel, which holds the lock (see AuditChain.tail)
            try (FileChannel channel = FileChannel.open(file, CREATE, READ, WRITE)) {
                FileLock lock = channel.lock();
                try {
                    // The chain continues from the file itself, so another process's appends are included.
                    AuditChain.Head previous = AuditChain.tail(channel, mapper);
                    // ...but the head file must agree with it: a tail cut off, or the head file deleted, would
                    // otherwise be chained over by this append and never be seen again. The break goes on record.
                    Optional<String> broken = AuditChain.disagreement(previous, readHead());
                    if (broken.isPresent()) {
                        log.error("The audit log {} does not match its head file: {}; recorded as audit.chain-break", file, broken.get());
                        Map<String, Object> chainBreak = new LinkedHashMap<>();
                        chainBreak.put("seq", previous.seq() + 1);
                        chainBreak.put("prev", previous.hash());
                        chainBreak.put("time", clock.instant().toString());
                        chainBreak.put("action", AuditChain.CHAIN_BREAK);
                        chainBreak.put("outcome", "failed");
                        chainBreak.put("details", Map.of("found", broken.get()));
                        String breakText = serialize(chainBreak);
                        appendLine(channel, breakText);
                        previous = new AuditChain.Head(previous.seq() + 1, AuditChain.hash(breakText));
                    }
                    Map<String, Object> chained = new LinkedHashMap<>();
                    chained.put("seq", previous.seq() + 1);
                    chained.put("prev", previous.hash());
                    chained.putAll(line);
                    text = serialize(chained);
                    appendLine(channel, text);
                    channel.force(false);
                    AtomicFiles.write(headFile, mapper.writeValueAsBytes(new AuditChain.Head(previous.seq() + 1, AuditChain.hash(text))));
                }
                finally {
                    lock.release();
                }
            }
        }
        catch (IOException e) {
            // Losing an audit line must be loud, but must not undo the action it describes.
            log.error("Cannot append to the audit log {}: {}", file, e.getMessage());
            throw new UncheckedIOException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
        }
        finally {
            IN_PROCESS.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        forwarding.forward(text);
    }

    /** Writes a line at the end as it is under the lock; a torn last line without its newline gets one first. */
    private static void appendLine(FileChannel channel, String text)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        long end = channel.size();
        if (end > 0 && !endsWithNewline(channel, end)) {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}), end);
            end++;
        }
        while (buffer.hasRemaining()) {
            end += channel.write(buffer, end);
        }
    }

    private Optional<AuditChain.Head> readHead()
    {
        try {
            return Files.exists(headFile) ? Optional.of(mapper.readValue(headFile.toFile(), AuditChain.Head.class)) : Optional.empty();
        }
        catch (IOException e) {
            // an unreadable head file is a disagreement of its own: the comparison below reports it as missing
            return Optional.empty();
        }
    }

    private static boolean endsWithNewline(FileChannel channel, long size)
            throws IOException
    {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        return last.get(0) == '\n';
    }

    private String serialize(Map<String, Object> line)
    {
        try {
            return mapper.writeValueAsString(line);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Checks the chain and the head file; see {@link AuditChain#verify}. */
    public AuditChain.Verdict verify()
            throws IOException
    {
        Optional<AuditChain.Head> head = Files.exists(headFile) ? Optional.of(mapper.readValue(headFile.toFile(), AuditChain.Head.class)) : Optional.empty();
        return AuditChain.verify(file, head, mapper);
    }

    private static long uid()
    {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
        catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
