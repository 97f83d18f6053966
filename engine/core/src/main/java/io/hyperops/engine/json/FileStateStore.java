package io.hyperops.engine.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.StateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** One job's state: {@code <state_dir>/jobs/<job>/<name>.json}, each written through {@link JsonFileStore}. */
public final class FileStateStore
        implements StateStore
{
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path folder;
    private final JsonFileStore files;

    public FileStateStore(Path folder, ObjectMapper mapper)
    {
        this.folder = requireNonNull(folder, "folder is null");
        this.files = new JsonFileStore(requireNonNull(mapper, "mapper is null"));
    }

    @Override
    public <T> Optional<T> read(String name, Class<T> type)
    {
        return files.read(file(name), type);
    }

    @Override
    public void write(String name, Object value)
    {
        files.write(file(name), value);
    }

    @Override
    public void delete(String name)
    {
        try {
            Files.deleteIfExists(file(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete state " + file(name) + ": " + e.getMessage(), e);
        }
    }

    private Path file(String name)
    {
        // Names become file names: keep them from climbing out of the job's folder.
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("state name '" + name + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        return folder.resolve(name + ".json");
    }
}
