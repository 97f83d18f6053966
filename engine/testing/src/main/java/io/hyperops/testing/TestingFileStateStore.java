package io.hyperops.testing;

import io.hyperops.spi.StateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A {@link StateStore} on disk, laid out as the engine's ({@code <state_dir>/jobs/<job>/<name>.json}),
 * so a test can check what another job reads from there.
 */
public final class TestingFileStateStore
        implements StateStore
{
    private final Path folder;
    private final TestingJsonFiles json = new TestingJsonFiles();

    public TestingFileStateStore(Path stateDir, String jobName)
    {
        this.folder = requireNonNull(stateDir, "stateDir is null").resolve("jobs").resolve(jobName);
    }

    @Override
    public <T> Optional<T> read(String name, Class<T> type)
    {
        return json.read(folder.resolve(name + ".json"), type);
    }

    @Override
    public void write(String name, Object value)
    {
        try {
            Files.createDirectories(folder);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.write(folder.resolve(name + ".json"), value);
    }

    @Override
    public void delete(String name)
    {
        try {
            Files.deleteIfExists(folder.resolve(name + ".json"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
