package io.hyperops.engine.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.json.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The config file as the daemon last accepted it, kept in its state folder ({@code config-accepted.json}).
 * An edit the daemon refuses leaves its running config in force; this copy keeps it in force beyond the
 * daemon's process: a daemon that starts (a reboot) while the file holds such an edit runs with it, and
 * commands run beside it read it, each saying so, until the file is fixed.
 */
public final class AcceptedConfig
{
    static final String FILE_NAME = "config-accepted.json";

    private AcceptedConfig() {}

    /** Keeps the bytes the daemon just accepted; written whole or not at all. */
    public static void save(Path stateDir, byte[] accepted)
    {
        AtomicFiles.write(stateDir.resolve(FILE_NAME), accepted);
    }

    /**
     * The copy for a config file that does not load: its state folder is read leniently from the file's
     * {@code engine} section ({@code state_dir}, else {@code data_dir}/hyperops, else the default), since
     * the rest of the file may be what is wrong. Empty when no daemon has accepted a config there.
     */
    public static Optional<Path> find(Path configFile)
    {
        Path stateDir = EngineSettings.DEFAULT_DATA_DIR.resolve("hyperops");
        try {
            JsonNode engine = new ObjectMapper(JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                    .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build()).readTree(Files.readString(configFile, StandardCharsets.UTF_8)).path("engine");
            if (engine.path("state_dir").isTextual()) {
                stateDir = Path.of(engine.path("state_dir").asText());
            }
            else if (engine.path("data_dir").isTextual()) {
                stateDir = Path.of(engine.path("data_dir").asText()).resolve("hyperops");
            }
        }
        catch (IOException | RuntimeException e) {
            // not JSON at all: the default folder is where a daemon would have kept it
        }
        Path copy = stateDir.resolve(FILE_NAME);
        return Files.isReadable(copy) ? Optional.of(copy) : Optional.empty();
    }

    /**
     * The config last accepted for {@code configFile}, under that file's name (so a watch, a reload and
     * every message go to the file). Empty when there is none, or when it does not load either (written
     * by another version of hyperops, with a task module since removed): {@code problems} hears why.
     */
    public static Optional<EngineConfig> loadFor(ConfigLoader loader, Path configFile, Consumer<String> problems)
    {
        Optional<Path> copy = find(configFile);
        if (copy.isEmpty()) {
            return Optional.empty();
        }
        try {
            EngineConfig accepted = loader.load(copy.get());
            return Optional.of(new EngineConfig(configFile, accepted.engine(), accepted.jobs()));
        }
        catch (ConfigException e) {
            problems.accept("the config last accepted (" + copy.get() + ") does not load either: " + e.getMessage());
            return Optional.empty();
        }
    }
}
