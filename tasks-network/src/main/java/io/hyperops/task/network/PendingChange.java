package io.hyperops.task.network;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The folder of the one change that may be open at a time, and the protocol that decides its fate.
 *
 * <p>While the window is open the folder holds {@code pending}. Whoever renames it first decides:
 * {@code confirmed} (probes passed, or {@code hyperops network confirm}) or {@code reverting} (the
 * deadline, by hyperops or by the watchdog). {@code rename(2)} is atomic, so a confirmation and a revert
 * can never both win. The revert writes {@code reverted} (exit code, time, who ran it) when done, and
 * {@code audited} is created once, by whichever process records the outcome in the audit log.
 */
final class PendingChange
{
    static final String PENDING = "pending";
    static final String CONFIRMED = "confirmed";
    static final String REVERTING = "reverting";
    static final String REVERTED = "reverted";
    static final String AUDITED = "audited";
    static final String SUMMARY = "summary";
    static final String REVERT_SCRIPT = "revert.sh";
    static final String WATCHDOG_SCRIPT = "watchdog.sh";
    static final String WATCHDOG_PID = "watchdog.pid";
    static final String REVERT_PID = "revert.pid";
    static final String REVERT_LOG = "revert.log";
    static final String BACKUP = "backup";

    private final Path folder;

    PendingChange(Path folder)
    {
        this.folder = requireNonNull(folder, "folder is null");
    }

    Path folder()
    {
        return folder;
    }

    Path file(String name)
    {
        return folder.resolve(name);
    }

    boolean has(String name)
    {
        return Files.exists(folder.resolve(name));
    }

    /** When the window closes; the first line of {@code summary}. */
    Instant deadline()
            throws IOException
    {
        return Instant.parse(Files.readAllLines(file(SUMMARY), StandardCharsets.UTF_8).get(0).strip());
    }

    /** The change's summary line, as the audit log and reports show it. */
    String summary()
            throws IOException
    {
        List<String> lines = Files.readAllLines(file(SUMMARY), StandardCharsets.UTF_8);
        return lines.size() > 1 ? lines.get(1) : "";
    }

    String target()
            throws IOException
    {
        List<String> lines = Files.readAllLines(file(SUMMARY), StandardCharsets.UTF_8);
        return lines.size() > 2 ? lines.get(2) : "";
    }

    /** True when this process renamed {@code pending} to {@code outcome}; false when another decided first. */
    boolean claim(String outcome)
            throws IOException
    {
        try {
            Files.move(file(PENDING), file(outcome), StandardCopyOption.ATOMIC_MOVE);
            // the decision must outlive a power cut: a lost rename would bring 'pending' back, and the boot
            // recovery would revert a change that was confirmed
            sync(folder);
            return true;
        }
        catch (NoSuchFileException e) {
            return false;
        }
    }

    /** True once, for the one process that gets to record the outcome in the audit log. */
    boolean claimAudit()
            throws IOException
    {
        try {
            Files.createFile(file(AUDITED));
            sync(folder);
            return true;
        }
        catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** fsync of a file, or of a folder's entries (new names, renames, deletions). */
    static void sync(Path path)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** The first line of {@code reverted}: exit code of the script, when it ran, who ran it. */
    Optional<String> revertResult()
            throws IOException
    {
        Path result = file(REVERTED);
        return Files.exists(result) ? Optional.of(Files.readString(result, StandardCharsets.UTF_8).strip()) : Optional.empty();
    }

    String revertLog()
            throws IOException
    {
        Path log = file(REVERT_LOG);
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
    }

    /** The change's id: when it was applied and to what, e.g. {@code 20261126T163500Z-br0}. */
    String id()
            throws IOException
    {
        List<String> lines = Files.readAllLines(file(SUMMARY), StandardCharsets.UTF_8);
        return lines.size() > 3 ? lines.get(3) : folder.getFileName().toString();
    }

    /** Moves the closed change to the history folder, under its id. */
    void archive(Path history)
            throws IOException
    {
        Files.createDirectories(history);
        try {
            Files.move(folder, history.resolve(id()), StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileSystemException e) {
            // another process archived it first
            return;
        }
        try (Stream<Path> old = Files.list(history)) {
            List<Path> sorted = old.sorted().toList();
            for (Path stale : sorted.subList(0, Math.max(0, sorted.size() - 50))) {
                deleteTree(stale);
            }
        }
    }

    static void deleteTree(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((left, right) -> right.getNameCount() - left.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
