package io.hyperops.engine.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** A validated config file: the engine's settings and every known job, configured or defaulted. */
public record EngineConfig(Path file, EngineSettings engine, SortedMap<String, JobConfig> jobs)
{
    public EngineConfig
    {
        requireNonNull(file, "file is null");
        requireNonNull(engine, "engine is null");
        jobs = new TreeMap<>(requireNonNull(jobs, "jobs is null"));
    }

    public Optional<JobConfig> job(String name)
    {
        return Optional.ofNullable(jobs.get(name));
    }

    public Map<String, JobConfig> jobMap()
    {
        return jobs;
    }
}
