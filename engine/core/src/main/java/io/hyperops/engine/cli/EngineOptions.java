package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperops.engine.config.AcceptedConfig;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.EngineSettings;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.plugin.PluginLoader;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The options every command shares, and the loading of tasks and config they all start with. */
final class EngineOptions
{
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}).", defaultValue = "/etc/hypervisor/hyperops.json")
    Path configFile;

    static final Path DEFAULT_CONFIG = Path.of("/etc/hypervisor/hyperops.json");

    /** A --config path that names no file: the command stops with {@link ExitCodes#CONFIG}. */
    static final class MissingConfigFile
            extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MissingConfigFile(String message)
        {
            super(message);
        }
    }

    private JobCatalog catalog;

    JobCatalog catalog()
    {
        if (catalog == null) {
            catalog = JobCatalog.of(PluginLoader.discover());
        }
        return catalog;
    }

    /**
     * The daemon's socket, read leniently: status, logs and reload must work while the file holds an
     * edit the daemon refused, since that is when an operator needs them most.
     */
    Path controlSocket()
    {
        // A --config that names no file is a typo, and the default socket would reach the host's own daemon instead.
        if (!Files.exists(configFile) && !configFile.equals(DEFAULT_CONFIG)) {
            throw new MissingConfigFile(configFile + " does not exist; check the --config path (the host's config is " + DEFAULT_CONFIG + ")");
        }
        JsonNode socket = ConfigLoader.engineSectionLeniently(configFile).path("control_socket");
        return socket.isTextual() ? Path.of(socket.asText()) : EngineSettings.DEFAULT_CONTROL_SOCKET;
    }

    EngineConfig load()
            throws ConfigException
    {
        return load(configFile);
    }

    /**
     * For commands the daemon answers: its running config stays in force when the file holds an edit it
     * refused, so the file's problems are a note on stderr, not the end of the command. Empty when the
     * file does not load.
     */
    Optional<EngineConfig> loadBesideDaemon(PrintWriter err)
    {
        try {
            return Optional.of(load());
        }
        catch (ConfigException e) {
            err.println("hyperops: " + configFile + " has problems ('hyperops config check' lists them); the daemon runs with the config it last accepted, shown here");
            err.flush();
            return Optional.empty();
        }
    }

    EngineConfig load(Path file)
            throws ConfigException
    {
        return loader().load(file);
    }

    ConfigLoader loader()
    {
        return new ConfigLoader(JsonMapper.create(), catalog());
    }

    /** The config, or empty after printing every problem in it: callers then exit with {@link ExitCodes#CONFIG}. */
    Optional<EngineConfig> loadOrReport(PrintWriter err)
    {
        try {
            return Optional.of(load());
        }
        catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }

    /**
     * For commands that only read (jobs, history, logs, forecast, audit verify): the config, or, when the
     * file holds problems, the config last accepted from it ({@link AcceptedConfig}), which a daemon runs
     * with, and a note on stderr. Empty, after printing every problem, when there is neither: callers then
     * exit with {@link ExitCodes#CONFIG}. A command that changes things uses {@link #loadOrReport}: it must
     * not act on a config the operator did not mean.
     */
    Optional<EngineConfig> loadOrAccepted(PrintWriter err)
    {
        try {
            return Optional.of(load());
        }
        catch (ConfigException e) {
            Optional<EngineConfig> accepted = lastAccepted(err);
            if (accepted.isEmpty()) {
                err.println(e.getMessage());
            }
            else {
                err.println(usingAccepted(configFile));
            }
            err.flush();
            return accepted;
        }
    }

    static String usingAccepted(Path configFile)
    {
        return "hyperops: " + configFile + " has problems ('hyperops config check' lists them); reading with the config last accepted from it, as a daemon runs";
    }

    /** The config the daemon last accepted for this file, if one did and it still loads. */
    Optional<EngineConfig> lastAccepted(PrintWriter err)
    {
        return AcceptedConfig.loadFor(loader(), configFile, problem -> err.println("hyperops: " + problem));
    }
}
