package io.hyperops.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Atomic JSON files outside the engine's own state, such as the seed-compatible
 * {@code metrics-*.json} and {@code health-status.json} under the host's data folder. Same guarantees
 * and naming as {@link StateStore}.
 */
public interface JsonFiles
{
    void write(Path file, Object value);

    <T> Optional<T> read(Path file, Class<T> type);
}
