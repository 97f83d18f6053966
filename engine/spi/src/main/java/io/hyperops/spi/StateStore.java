package io.hyperops.spi;

import java.util.Optional;

/**
 * Durable JSON state of one job. Each name is one file, written atomically (temp file, fsync, rename,
 * fsync of the folder) with a {@code schema_version}; a reader sees the old or the new content, never a
 * mix, even after a crash or a full disk. Field names are snake_case.
 */
public interface StateStore
{
    <T> Optional<T> read(String name, Class<T> type);

    void write(String name, Object value);

    void delete(String name);
}
