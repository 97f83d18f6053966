package io.hyperops.engine;

import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.plugin.JobCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Engines for tests: a config file in a temp folder whose state, logs and data stay in that folder. */
public final class TestingEngine
{
    public static final JobCatalog CATALOG = JobCatalog.of(List.of(new TestingPlugin()));

    private TestingEngine() {}

    /** Writes {@code config.json} with an engine section aimed at {@code folder} and the given jobs section. */
    public static Path writeConfig(Path folder, String jobsJson)
    {
        String text = """
                {
                  // test engine: everything under the test's folder
                  "engine": {
                    "libvirt_uri": "test:///default",
                    "data_dir": "%s",
                    "control_socket": "%s",
                    "worker_threads": 4,
                    "shutdown_grace": "2s",
                    "time_zone": "UTC"
                  },
                  "jobs": %s
                }
                """.formatted(folder.resolve("data"), folder.resolve("control.sock"), jobsJson);
        Path file = folder.resolve("config.json");
        try {
            Files.writeString(file, text);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static EngineConfig load(Path file)
            throws ConfigException
    {
        return new ConfigLoader(JsonMapper.create(), CATALOG).load(file);
    }

    public static Engine create(Path file, Clock clock)
            throws ConfigException
    {
        return Engine.create(load(file), CATALOG, clock);
    }
}
