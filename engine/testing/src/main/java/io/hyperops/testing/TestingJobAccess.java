package io.hyperops.testing;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.StateStore;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/** A {@link JobAccess} with settings a test gives and in-memory state per job. */
public final class TestingJobAccess
        implements JobAccess
{
    private final Map<String, Record> settings = new ConcurrentHashMap<>();
    private final Map<String, StateStore> states = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    public TestingJobAccess with(String jobName, Record jobSettings)
    {
        settings.put(requireNonNull(jobName, "jobName is null"), requireNonNull(jobSettings, "jobSettings is null"));
        return this;
    }

    @Override
    public <T extends Record> T settings(String jobName, Class<T> type)
    {
        Record value = settings.get(jobName);
        if (value == null) {
            throw new IllegalArgumentException("no settings given for job '" + jobName + "'");
        }
        return type.cast(value);
    }

    /** Gives a job this state store, such as a {@link TestingFileStateStore} that another part of the test writes. */
    public TestingJobAccess withState(String jobName, StateStore state)
    {
        states.put(requireNonNull(jobName, "jobName is null"), requireNonNull(state, "state is null"));
        return this;
    }

    @Override
    public StateStore state(String jobName)
    {
        return states.computeIfAbsent(jobName, ignored -> new TestingStateStore());
    }

    /** As {@code "enabled": false} in the config; every job is enabled until this is called. */
    public TestingJobAccess disable(String jobName)
    {
        disabled.add(requireNonNull(jobName, "jobName is null"));
        return this;
    }

    @Override
    public boolean enabled(String jobName)
    {
        return !disabled.contains(jobName);
    }
}
