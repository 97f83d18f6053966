package io.hyperops.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log's hash chain: each line carries {@code seq} and {@code prev}, the SHA-256 of the line
 * before it, so an edited or deleted line breaks the chain at the next one; a head file kept apart
 * records the last line's number and hash, so a cut-off tail shows too.
 */
public final class AuditChain
{
    public static final String START = "0".repeat(64);

    private AuditChain() {}

    public static String hash(String line)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The last line's number and hash. */
    public record Head(long seq, String hash)
    {
        static final Head EMPTY = new Head(0, START);
    }

    /**
     * Where the chain stands at the end of the file: its last intact line. Read through {@code channel},
     * the one that holds the OS lock: opening the file again and closing that would drop a POSIX lock.
     * A last line torn by a crash or a full disk is passed over (the next append chains to the line
     * before it, and {@link #verify} still reports the torn one), so auditing never stops for it.
     */
    static Head tail(FileChannel channel, ObjectMapper mapper)
            throws IOException
    {
        long length = channel.size();
        for (long window = Math.min(length, 64 * 1024); window > 0; window = window == length ? 0 : Math.min(length, window * 4)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) window);
            while (buffer.hasRemaining() && channel.read(buffer, length - window + buffer.position()) >= 0) {
                // fill the window
            }
            String text = new String(buffer.array(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            // the first piece may be cut by the window's start unless the window is the whole file
            int first = window == length ? 0 : 1;
            for (int index = lines.size() - 1; index >= first; index--) {
                String line = lines.get(index);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode entry = mapper.readTree(line);
                    if (entry.has("seq") && entry.has("prev")) {
                        return new Head(entry.path("seq").asLong(), hash(line));
                    }
                }
                catch (IOException e) {
                    // torn or not a line of ours: look further back
                }
            }
            if (window == length) {
                break;
            }
        }
        return Head.EMPTY;
    }

    /** The action of the entry an appender writes when the log and its head file disagree. */
    public static final String CHAIN_BREAK = "audit.chain-break";

    /**
     * What an appender found wrong before appending, if anything: the log's last entry against the head
     * file the previous append left (a tail cut off, a last entry edited, the head file deleted).
     */
    static Optional<String> disagreement(Head logTail, Optional<Head> head)
    {
        if (head.isEmpty()) {
            return logTail.seq() > 0 ? Optional.of("the head file is missing, the log ends at entry " + logTail.seq()) : Optional.empty();
        }
        if (head.get().seq() != logTail.seq()) {
            return Optional.of("the head file says entry " + head.get().seq() + ", the log ends at entry " + logTail.seq());
        }
        if (!head.get().hash().equals(logTail.hash())) {
            return Optional.of("entry " + logTail.seq() + " does not match the head file's hash");
        }
        return Optional.empty();
    }

    /** The outcome of {@link #verify}: intact, or where it first breaks and why. */
    /** @param tornLines lines skipped as the remains of an append cut off by a crash: unreadable, and chained over by the next entry */
    public record Verdict(boolean intact, long entries, long brokenAtLine, String reason, int tornLines)
    {
        Verdict(boolean intact, long entries, long brokenAtLine, String reason)
        {
            this(intact, entries, brokenAtLine, reason, 0);
        }
    }

    public static Verdict verify(Path log, Optional<Head> head, ObjectMapper mapper)
            throws IOException
    {
        long line = 0;
        String previousHash = START;
        long previousSeq = 0;
        int torn = 0;
        long tornAt = 0;
        if (Files.exists(log)) {
            try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                String text;
                while ((text = reader.readLine()) != null) {
                    line++;
                    JsonNode entry;
                    try {
                        entry = mapper.readTree(text);
                    }
                    catch (IOException e) {
                        // a crash mid-append leaves a torn line the next append chains past: skipped if the
                        // entry after it chains to the one before it, reported below otherwise
                        if (tornAt > 0) {
                            return new Verdict(false, previousSeq, tornAt, "not a JSON line (edited or torn)");
                        }
                        tornAt = line;
                        continue;
                    }
                    long seq = entry.path("seq").asLong(-1);
                    if (tornAt > 0 && !(previousHash.equals(entry.path("prev").asText()) && seq == previousSeq + 1)) {
                        return new Verdict(false, previousSeq, tornAt, "not a JSON line (edited or torn)");
                    }
                    if (tornAt > 0) {
                        torn++;
                        tornAt = 0;
                    }
                    if (!previousHash.equals(entry.path("prev").asText())) {
                        String why = seq == previousSeq + 1
                                ? "line " + (line - 1) + " was edited: the next entry's prev hash does not match it"
                                : "expected entry " + (previousSeq + 1) + ", found " + seq + ": entries before it were deleted";
                        // an edited line is not intact itself: the count stops before it
                        return seq == previousSeq + 1 ? new Verdict(false, previousSeq - 1, line - 1, why) : new Verdict(false, previousSeq, line, why);
                    }
                    if (seq != previousSeq + 1) {
                        return new Verdict(false, previousSeq, line, "expected entry " + (previousSeq + 1) + ", found " + seq);
                    }
                    if (CHAIN_BREAK.equals(entry.path("action").asText())) {
                        // an appender found the log and its head file apart and carried on: the break stays on record
                        return new Verdict(false, seq, line, "entry " + seq + " records a break found by the writer: " + entry.path("details").path("found").asText());
                    }
                    previousSeq = seq;
                    previousHash = hash(text);
                }
            }
        }
        if (head.isPresent()) {
            Head expected = head.get();
            if (previousSeq < expected.seq()) {
                return new Verdict(false, previousSeq, line + 1, "the log ends at entry " + previousSeq + " but the head file says " + expected.seq() + ": its tail was cut off");
            }
            if (previousSeq == expected.seq() && !previousHash.equals(expected.hash())) {
                return new Verdict(false, previousSeq - 1, line, "the last entry does not match the head file: it was edited");
            }
        }
        else if (previousSeq > 0) {
            // every append moves the head file on: entries without one mean it was deleted, and with it the check of the tail
            return new Verdict(false, previousSeq, line + 1, "the head file is missing (deleted?): the log's last entries cannot be checked against it");
        }
        // a torn last line: the append that wrote it died before the head file moved on, which the checks above saw
        return new Verdict(true, previousSeq, 0, "", tornAt > 0 ? torn + 1 : torn);
    }
}
