package io.hyperops.engine.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.json.FileStateStore;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.StateStore;
import jakarta.inject.Inject;

import static java.util.Objects.requireNonNull;

/** {@link JobAccess} from the config in force and the same state folders runs get. */
public final class EngineJobAccess
        implements JobAccess
{
    private final CurrentConfig config;
    private final ObjectMapper mapper;

    @Inject
    public EngineJobAccess(CurrentConfig config, ObjectMapper mapper)
    {
        this.config = requireNonNull(config, "config is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public <T extends Record> T settings(String jobName, Class<T> type)
    {
        Record settings = config.job(jobName).settings();
        if (!type.isInstance(settings)) {
            throw new IllegalArgumentException("job '" + jobName + "' reads " + settings.getClass().getSimpleName() + ", not " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    @Override
    public boolean enabled(String jobName)
    {
        return config.job(jobName).enabled();
    }

    @Override
    public StateStore state(String jobName)
    {
        config.job(jobName);
        return stateOf(config, mapper, jobName);
    }

    /** The one place that says where a job's state lives. */
    static StateStore stateOf(CurrentConfig config, ObjectMapper mapper, String jobName)
    {
        return new FileStateStore(config.get().engine().stateDir().resolve("jobs").resolve(jobName), mapper);
    }
}
