package io.hyperops.engine.scheduler;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * When each job's schedule last fired (or the engine last started), kept on disk so that fires missed
 * while the engine was down can be caught up once at the next start, like systemd's {@code Persistent=true}.
 */
public final class CatchUpStamps
{
    private static final Logger log = LoggerFactory.getLogger(CatchUpStamps.class);

    private final Path folder;
    private final JsonFileStore files;

    @Inject
    public CatchUpStamps(HostPaths paths, JsonFileStore files)
    {
        this.folder = requireNonNull(paths, "paths is null").stateDir().resolve("catch-up");
        this.files = requireNonNull(files, "files is null");
    }

    /** The last fire on record; a stamp that cannot be read counts as none (it only decides a catch-up). */
    public Optional<Instant> last(String job)
    {
        try {
            return files.read(file(job), Stamp.class).map(Stamp::lastFire);
        }
        catch (IllegalStateException | UncheckedIOException e) {
            log.warn("Job {}: {}; no catch-up is decided from it, and it is written anew", job, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records a fire, unless a later one is on record already (a jittered fire can run after the next one's). */
    public synchronized void record(String job, Instant fire)
    {
        if (last(job).map(recorded -> recorded.isAfter(fire)).orElse(false)) {
            return;
        }
        files.write(file(job), new Stamp(fire));
    }

    private Path file(String job)
    {
        return folder.resolve(job + ".json");
    }

    record Stamp(Instant lastFire) {}
}
