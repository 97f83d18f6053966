package io.hyperops.testing;

import io.hyperops.spi.StateStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link StateStore} held in memory, for unit tests of job logic. */
public final class TestingStateStore
        implements StateStore
{
    private final Map<String, Object> values = new HashMap<>();

    @Override
    public synchronized <T> Optional<T> read(String name, Class<T> type)
    {
        return Optional.ofNullable(values.get(name)).map(type::cast);
    }

    @Override
    public synchronized void write(String name, Object value)
    {
        values.put(name, value);
    }

    @Override
    public synchronized void delete(String name)
    {
        values.remove(name);
    }
}
