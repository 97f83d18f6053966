package io.hyperops.engine.run;

import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.RunReport;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** {@link JobHistory} for tasks, read from {@link RunHistory}. */
public final class EngineJobHistory
        implements JobHistory
{
    private final CurrentConfig config;
    private final RunHistory history;

    @Inject
    public EngineJobHistory(CurrentConfig config, RunHistory history)
    {
        this.config = requireNonNull(config, "config is null");
        this.history = requireNonNull(history, "history is null");
    }

    @Override
    public Set<String> jobNames()
    {
        return Set.copyOf(config.get().jobs().keySet());
    }

    @Override
    public List<RunReport> recent(String jobName, int limit)
    {
        return history.list(Optional.of(jobName), Integer.MAX_VALUE).stream()
                .filter(record -> !record.running())
                .limit(limit)
                .map(RunRecord::report)
                .toList();
    }
}
