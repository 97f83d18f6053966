package io.hyperops.engine.scheduler;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.spi.HostPaths;
import jakarta.inject.Inject;

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
        return files.read(file, Paused.class).map(paused -> (Set<String>) new TreeSet<>(paused.jobs())).orElseGet(TreeSet::new);
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
