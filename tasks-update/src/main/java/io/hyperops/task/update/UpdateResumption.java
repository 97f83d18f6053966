package io.hyperops.task.update;

import io.hyperops.spi.JobRunner;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.TaskService;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * At daemon start, finishes an update (or its rollback) the daemon was stopped or killed in: an upgrade
 * of hyperops itself restarts it half-way through apt, and a host can go down. The {@code update} job does the work
 * ({@link UpdateService}: wait for the step left running, then the health gate, then keep or roll back),
 * so it is recorded, logged and audited like any run; started here rather than at its next schedule so
 * the host does not stay days on an update nobody has judged.
 */
public final class UpdateResumption
        implements TaskService
{
    private static final Logger LOG = LoggerFactory.getLogger(UpdateResumption.class);
    private static final Duration MAX_WAIT = Duration.ofHours(12);

    private final UpdateStateStore state;
    private final JobRunner jobs;
    private Thread thread;

    @Inject
    UpdateResumption(UpdateStateStore state, JobRunner jobs)
    {
        this.state = requireNonNull(state, "state is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public synchronized void start()
    {
        Optional<UpdateRecord> cut = state.read().cutOff();
        if (cut.isEmpty()) {
            return;
        }
        String runId = cut.get().runId();
        LOG.warn("The update of run {} was cut off ({}); running the update job to finish it", runId, cut.get().outcome());
        thread = new Thread(() -> finish(runId), "update-resume");
        thread.setDaemon(true);
        thread.start();
    }

    private void finish(String runId)
    {
        try {
            RunReport report = jobs.runAndWait(UpdatePlugin.UPDATE_JOB, MAX_WAIT);
            LOG.info("The update cut off in run {}: {} ({})", runId, report.summary(), report.outcome());
        }
        catch (IllegalArgumentException e) {
            LOG.error("The update of run {} was cut off and the update job cannot run ({}): enable it to finish the update,"
                    + " or roll it back with 'hyperops update rollback'", runId, e.getMessage());
        }
        catch (InterruptedException e) {
            // the daemon is stopping; the next start tries again
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop()
    {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
