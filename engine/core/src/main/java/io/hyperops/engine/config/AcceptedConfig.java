package io.hyperops.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperops.engine.json.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The config file as the daemon last accepted it, kept in its state folder. An edit the daemon refuses
 * leaves its running config in force; this copy keeps it in force beyond the daemon's process: a daemon
 * that starts (a reboot) while the file holds such an edit runs with it, and read-only commands run
 * beside it read it, each saying so, until the file is fixed.
 *
 * <p>The copy is named for the file it was accepted from ({@code config-accepted-<hash of its absolute path>.json}),
 * so another file (a mistyped {@code --config}, a second config sharing the state folder) never finds it,
 * and it keeps that file's permissions, so it shows no more than the file does.
 */
public final class AcceptedConfig
{
    private AcceptedConfig() {}

    /**
     * Keeps the bytes the daemon just accepted from {@code configFile}, in each of {@code stateDirs} (the
     * running engine's and, after a reload that moved it, the file's own); written whole or not at all.
     */
    public static void save(Path configFile, byte[] accepted, Path... stateDirs)
    {
        Set<Path> folders = new LinkedHashSet<>();
        for (Path stateDir : stateDirs) {
            folders.add(stateDir.toAbsolutePath().normalize());
        }
        for (Path stateDir : folders) {
            Path copy = stateDir.resolve(name(configFile));
            AtomicFiles.write(copy, accepted);
            Set<PosixFilePermission> permissions = permissionsOf(configFile);
            try {
                Files.setPosixFilePermissions(copy, permissions);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot set the permissions of " + copy + ": " + e.getMessage(), e);
            }
        }
    }

    /** The file's own permissions; owner and group only when they cannot be read (the file went meanwhile). */
    private static Set<PosixFilePermission> permissionsOf(Path configFile)
    {
        try {
            return Files.getPosixFilePermissions(configFile);
        }
        catch (IOException e) {
            return PosixFilePermissions.fromString("rw-r-----");
        }
    }

    /**
     * The copy for a config file that does not load: its state folder is read leniently from the file's
     * {@code engine} section ({@code state_dir}, else {@code data_dir}/hyperops), since the rest of the
     * file may be what is wrong; the default folder when the section says nothing or cannot be read.
     * Empty when no daemon accepted this file there.
     */
    public static Optional<Path> find(Path configFile)
    {
        // not JSON at all: the default folder is where a daemon with defaults kept it
        Path stateDir = EngineSettings.DEFAULT_DATA_DIR.resolve("hyperops");
        JsonNode engine = ConfigLoader.engineSectionLeniently(configFile);
        if (engine.path("state_dir").isTextual()) {
            stateDir = Path.of(engine.path("state_dir").asText());
        }
        else if (engine.path("data_dir").isTextual()) {
            stateDir = Path.of(engine.path("data_dir").asText()).resolve("hyperops");
        }
        Path copy = stateDir.resolve(name(configFile));
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

    /**
     * The copy's name, from the file's absolute path as given, not its real path: on NixOS the config is a
     * link into the store whose target changes with every generation, and the copy must outlive them.
     */
    static String name(Path configFile)
    {
        Path absolute = configFile.toAbsolutePath().normalize();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(absolute.toString().getBytes(StandardCharsets.UTF_8));
            return "config-accepted-" + HexFormat.of().formatHex(hash, 0, 8) + ".json";
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
