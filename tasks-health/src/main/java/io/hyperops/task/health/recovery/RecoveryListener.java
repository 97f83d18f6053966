package io.hyperops.task.health.recovery;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.TaskService;
import jakarta.inject.Inject;

import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Listens for crashed guests from the moment the daemon starts, not from the first {@code vm-recovery}
 * run: a crash right after boot is restarted in seconds too. Runs of the job keep its settings current.
 */
public final class RecoveryListener
        implements TaskService
{
    public static final String JOB = "vm-recovery";

    private final RecoveryService service;
    private final JobAccess jobs;
    private final Clock clock;

    @Inject
    RecoveryListener(RecoveryService service, JobAccess jobs, Clock clock)
    {
        this.service = requireNonNull(service, "service is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void start()
    {
        // between runs too, and after a reload that turns the job off, nothing restarts while it is off
        service.actOnlyWhile(() -> jobs.enabled(JOB));
        service.ensureListening(jobs.settings(JOB, VmRecoverySettings.class), jobs.state(JOB), clock);
    }

    @Override
    public void stop()
    {
        service.stopListening();
    }
}
