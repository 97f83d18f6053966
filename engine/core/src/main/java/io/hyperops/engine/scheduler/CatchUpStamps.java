package io.hyperops.engine.scheduler;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;

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
    private final Path folder;
    private final JsonFileStore files;

    @Inject
    public CatchUpStamps(HostPaths paths, JsonFileStore files)
    {
        this.folder = requireNonNull(paths, "paths is null").stateDir().resolve("catch-up");
        this.files = requireNonNull(files, "files is null");
    }

    public Optional<Instant> last(String job)
    {
        return files.read(file(job), Stamp.class).map(Stamp::lastFire);
    }

    public void record(String job, Instant fire)
    {
        files.write(file(job), new Stamp(fire));
    }

    private Path file(String job)
    {
        return folder.resolve(job + ".json");
    }

    record Stamp(Instant lastFire) {}
}
