package io.hyperops.engine.scheduler;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/** Jobs an admin paused, kept on disk so a pause survives a restart of the daemon. */
public final class PausedJobs
{
    private final Path file;
    private final JsonFileStore files;

    @Inject
    public PausedJobs(HostPaths paths, JsonFileStore files)
    {
        this.file = requireNonNull(paths, "paths is null").stateDir().resolve("paused.json");
        this.files = requireNonNull(files, "files is null");
    }

    public synchronized Set<String> all()
    {
        try {
            return files.read(file, Paused.class).map(paused -> (Set<String>) new TreeSet<>(paused.jobs())).orElseGet(TreeSet::new);
        }
        catch (IllegalStateException | UncheckedIOException e) {
            // Which jobs an admin paused is not guessed: running one that was paused for maintenance is worse than not starting.
            throw new IllegalStateException(e.getMessage() + "; it lists the jobs an admin paused: repair it ({\"jobs\": [\"backup\"]}) or remove it"
                    + " (every job then runs on its schedule), then start hyperops again", e);
        }
    }

    public synchronized void set(String job, boolean paused)
    {
        Set<String> jobs = all();
        if (paused ? jobs.add(job) : jobs.remove(job)) {
            files.write(file, new Paused(Set.copyOf(jobs)));
        }
    }

    record Paused(Set<String> jobs) {}
}
