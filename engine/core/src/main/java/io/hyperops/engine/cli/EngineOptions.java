package io.hyperops.engine.cli;

import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.plugin.PluginLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command shares, and the loading of tasks and config they all start with. */
final class EngineOptions
{
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}).", defaultValue = "/etc/hypervisor/hyperops.json")
    Path configFile;

    private JobCatalog catalog;

    JobCatalog catalog()
    {
        if (catalog == null) {
            catalog = JobCatalog.of(PluginLoader.discover());
        }
        return catalog;
    }

    EngineConfig load()
            throws ConfigException
    {
        return load(configFile);
    }

    EngineConfig load(Path file)
            throws ConfigException
    {
        return new io.hyperops.engine.config.ConfigLoader(JsonMapper.create(), catalog()).load(file);
    }
}
