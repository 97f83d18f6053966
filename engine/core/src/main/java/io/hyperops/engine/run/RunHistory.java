package io.hyperops.engine.run;

import io.hyperops.engine.json.AtomicFiles;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.RunOutcome;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Run history: one small JSON file per run under {@code <state_dir>/history/<job>/}, so each write is
 * atomic on its own and a crash can at worst leave one run unfinished, never a broken history.
 */
public final class RunHistory
{
    private static final Logger log = LoggerFactory.getLogger(RunHistory.class);

    private static final Pattern JOB_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Path folder;
    private final JsonFileStore files;

    @Inject
    public RunHistory(HostPaths paths, JsonFileStore files)
    {
        this.folder = requireNonNull(paths, "paths is null").stateDir().resolve("history");
        this.files = requireNonNull(files, "files is null");
    }

    public void save(RunRecord record)
    {
        files.write(file(record.job(), record.runId()), record);
    }

    /** Newest first; all jobs when {@code job} is empty. */
    public List<RunRecord> list(Optional<String> job, int limit)
    {
        // a name from a caller (the control socket's 'history JOB') must name a folder here, not a path:
        // '/home/x' or '../..' would have the daemon read, as root, whatever it points at
        job.filter(name -> !JOB_NAME.matcher(name).matches()).ifPresent(name -> {
            throw new IllegalArgumentException("'" + name + "' is no job name (lower-case letters, digits and '-')");
        });
        List<Path> runFiles = new ArrayList<>();
        for (Path jobFolder : job.map(name -> List.of(folder.resolve(name))).orElseGet(this::jobFolders)) {
            runFiles.addAll(runFiles(jobFolder));
        }
        List<RunRecord> records = new ArrayList<>();
        for (Path runFile : runFiles) {
            readQuietly(runFile).ifPresent(records::add);
        }
        records.sort(Comparator.comparing(RunRecord::start).thenComparing(RunRecord::runId).reversed());
        return records.size() > limit ? List.copyOf(records.subList(0, limit)) : records;
    }

    /** The newest finished run of a job. */
    public Optional<RunRecord> lastFinished(String job)
    {
        return list(Optional.of(job), Integer.MAX_VALUE).stream().filter(record -> !record.running()).findFirst();
    }

    /** Keeps the newest {@code maxRuns} of a job and none older than {@code maxAge}. */
    public void prune(String job, int maxRuns, Duration maxAge, Instant now)
    {
        List<RunRecord> records = list(Optional.of(job), Integer.MAX_VALUE);
        Instant oldest = now.minus(maxAge);
        for (int index = 0; index < records.size(); index++) {
            RunRecord record = records.get(index);
            if (!record.running() && (index >= maxRuns || record.start().isBefore(oldest))) {
                delete(file(job, record.runId()));
                // its log goes with it (only the file this run wrote, named after it): a minutely job would
                // otherwise leave half a million log files a year behind its pruned history
                if (!record.logFile().isEmpty()) {
                    Path runLog = Path.of(record.logFile());
                    if (runLog.getFileName().toString().equals(record.runId() + ".log")) {
                        delete(runLog);
                    }
                }
            }
        }
    }

    /**
     * Closes runs whose process is gone (killed, crashed, power lost) as {@code interrupted}, so history
     * never shows a run as going on forever.
     */
    public int closeAbandoned(Instant now)
    {
        int closed = 0;
        for (RunRecord record : list(Optional.empty(), Integer.MAX_VALUE)) {
            if (record.running() && !alive(record)) {
                save(record.finished(now, RunOutcome.INTERRUPTED, "hyperops (pid " + record.pid() + ") stopped during this run", Map.of()));
                closed++;
            }
        }
        return closed;
    }

    // this process's own records are alive only if they are from this process, not from a dead one that had its pid
    private static boolean alive(RunRecord record)
    {
        if (record.pid() == ProcessHandle.current().pid() && record.process().isEmpty()) {
            return true;
        }
        return record.processAlive();
    }

    private Path file(String job, String runId)
    {
        return folder.resolve(job).resolve(runId + ".json");
    }

    private List<Path> jobFolders()
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> runFiles(Path jobFolder)
    {
        if (!Files.isDirectory(jobFolder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(jobFolder)) {
            return entries.filter(path -> path.getFileName().toString().endsWith(".json") && !AtomicFiles.isTempFile(path)).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jobFolder + ": " + e.getMessage(), e);
        }
    }

    private Optional<RunRecord> readQuietly(Path file)
    {
        try {
            return files.read(file, RunRecord.class);
        }
        catch (RuntimeException e) {
            // One unreadable record (hand-edited, newer version) must not hide the rest of the history.
            log.warn("Skipping unreadable history record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static void delete(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            log.warn("Cannot delete {} of an old run: {}", file, e.getMessage());
        }
    }
}
