package io.hyperops.engine.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineSettings;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.logging.RunLogs;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.TaskJob;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs one job the same way whoever triggered it: admit per overlap policy, take the cross-process
 * lock, record the start, run with a time-out, record the end. The caller's thread runs the job.
 */
public final class RunExecutor
{
    private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

    private final Injector injector;
    private final CurrentConfig config;
    private final RunCoordinator coordinator;
    private final JobLocks locks;
    private final RunHistory history;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ScheduledExecutorService watchdog;

    @Inject
    public RunExecutor(Injector injector, CurrentConfig config, RunCoordinator coordinator, JobLocks locks, RunHistory history, ObjectMapper mapper, Clock clock)
    {
        this.injector = requireNonNull(injector, "injector is null");
        this.config = requireNonNull(config, "config is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.history = requireNonNull(history, "history is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hyperops-run-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs a job now, following its overlap policy; a skipped trigger is recorded as such. */
    public RunRecord run(String jobName, Trigger trigger)
            throws InterruptedException
    {
        JobConfig job = config.job(jobName);
        coordinator.entered();
        try {
            RunCoordinator.Admission admission = coordinator.admit(jobName, job.overlap());
            Instant start = clock.instant();
            return runAdmitted(job, trigger, RunIds.next(job.name(), start), start, admission);
        }
        finally {
            coordinator.left();
        }
    }

    /**
     * Starts a run on {@code executor} and returns at once with its run id and whether it started,
     * waits in the queue, or was skipped: what the control socket tells the operator.
     */
    public Submission submit(String jobName, Trigger trigger, Executor executor)
    {
        JobConfig job = config.job(jobName);
        Instant start = clock.instant();
        String runId = RunIds.next(job.name(), start);
        coordinator.entered();
        boolean handedOver = false;
        try {
            RunCoordinator.Admission admission = coordinator.tryAdmit(jobName, job.overlap());
            if (admission.state() == RunCoordinator.Admission.State.SKIPPED) {
                RunRecord skipped = recordSkipped(job, trigger, runId, start, admission.reason());
                return new Submission(runId, admission, CompletableFuture.completedFuture(skipped));
            }
            CompletableFuture<RunRecord> result = new CompletableFuture<>();
            executor.execute(() -> {
                try {
                    RunCoordinator.Admission turn = admission.state() == RunCoordinator.Admission.State.QUEUED ? coordinator.awaitQueued(jobName) : admission;
                    result.complete(runAdmitted(job, trigger, runId, clock.instant(), turn));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result.complete(recordSkipped(job, trigger, runId, clock.instant(), "skipped: hyperops stopped while the run waited in the queue"));
                }
                catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
                finally {
                    coordinator.left();
                }
            });
            handedOver = true;
            return new Submission(runId, admission, result);
        }
        finally {
            if (!handedOver) {
                coordinator.left();
            }
        }
    }

    /** A run handed to another thread: its id now, its record when it ends. */
    public record Submission(String runId, RunCoordinator.Admission admission, CompletableFuture<RunRecord> result) {}

    /** Runs a job for another job: waits for a running instance (up to {@code maxWait}) instead of skipping. */
    public RunRecord runWaiting(String jobName, Trigger trigger, Duration maxWait)
            throws InterruptedException
    {
        JobConfig job = config.job(jobName);
        coordinator.entered();
        try {
            RunCoordinator.Admission admission = coordinator.admitWaiting(jobName, maxWait);
            Instant start = clock.instant();
            return runAdmitted(job, trigger, RunIds.next(job.name(), start), start, admission);
        }
        finally {
            coordinator.left();
        }
    }

    private RunRecord runAdmitted(JobConfig job, Trigger trigger, String runId, Instant start, RunCoordinator.Admission admission)
    {
        if (!admission.admitted()) {
            return recordSkipped(job, trigger, runId, start, admission.reason());
        }
        try {
            JobLocks.Acquired acquired = locks.tryLock(job.name(), runId);
            if (acquired.lock().isEmpty()) {
                return recordSkipped(job, trigger, runId, start, "skipped: job '" + job.name() + "' is already running (" + acquired.holder() + ")");
            }
            JobLocks.JobLock lock = acquired.lock().get();
            try {
                return runLocked(job, trigger, runId, start, admission.waited());
            }
            finally {
                lock.close();
            }
        }
        finally {
            coordinator.release(job.name());
        }
    }

    private RunRecord recordSkipped(JobConfig job, Trigger trigger, String runId, Instant start, String reason)
    {
        RunRecord record = RunRecord.started(runId, job.name(), trigger, start, "")
                .finished(start, RunOutcome.SKIPPED, reason, Map.of());
        saveOrWarn(record);
        log.info("Job {}: {}", job.name(), reason);
        return record;
    }

    private RunRecord runLocked(JobConfig job, Trigger trigger, String runId, Instant start, boolean waited)
    {
        EngineSettings engine = config.get().engine();
        try (RunLogs.Scope logScope = RunLogs.open(engine.logDir(), job.name(), runId)) {
            RunRecord record = RunRecord.started(runId, job.name(), trigger, start, logScope.file().toString());
            saveOrWarn(record);
            Logger jobLog = LoggerFactory.getLogger("hyperops.job." + job.name());
            EngineRunContext context = new EngineRunContext(
                    job.name(), runId, trigger, job.settings(),
                    EngineJobAccess.stateOf(config, mapper, job.name()),
                    jobLog, clock);
            ActiveRun active = new ActiveRun(runId, job.name(), start, context, Thread.currentThread());
            coordinator.started(job.name(), active);
            jobLog.info("Run {} started (trigger: {}{})", runId, trigger.jsonName(), waited ? ", after waiting for the previous run" : "");

            ScheduledFuture<?> timeout = watchdog.schedule(() -> active.cancel(EngineRunContext.StopReason.TIMEOUT), job.timeout().toMillis(), TimeUnit.MILLISECONDS);
            Outcome outcome;
            try {
                outcome = invoke(job, context);
            }
            finally {
                timeout.cancel(false);
                context.finish();
                // An interrupt that came while the job returned must not break the writes below.
                Thread.interrupted();
            }
            RunRecord finished = record.finished(clock.instant(), outcome.outcome(), outcome.summary(), outcome.details());
            try {
                history.save(finished);
                history.prune(job.name(), engine.historyMaxRuns(), engine.historyMaxAge(), clock.instant());
            }
            catch (RuntimeException e) {
                // A full disk: the record stays "running" until the next start closes it as interrupted,
                // so the outcome goes to the engine log (and the journal) at least.
                log.error("Run {} ended {}: {}; its history record cannot be written: {}", runId, outcome.outcome().jsonName(), outcome.summary(), e.getMessage());
            }
            logScope.finish("Run " + runId + " ended: " + outcome.outcome().jsonName() + ": " + outcome.summary());
            return finished;
        }
    }

    /** A full disk: the run goes ahead (or its skip stands), only its history may be missing. */
    private void saveOrWarn(RunRecord record)
    {
        try {
            history.save(record);
        }
        catch (RuntimeException e) {
            log.warn("Run {}: its history record cannot be written: {}", record.runId(), e.getMessage());
        }
    }

    private Outcome invoke(JobConfig job, EngineRunContext context)
    {
        try {
            TaskJob task = injector.getInstance(job.definition().type());
            JobResult result = task.run(context);
            if (result == null) {
                return new Outcome(RunOutcome.FAILED, "the job returned no result (a bug in task " + job.name() + ")", Map.of());
            }
            if (context.stopReason().isPresent()) {
                // A job that caught the interrupt and returned what it had still ran out of time (or was
                // stopped): that is its outcome and exit code; its own summary says how far it got.
                Outcome stopped = stopped(job, context);
                return new Outcome(stopped.outcome(), stopped.summary() + "; " + result.summary(), result.details());
            }
            return new Outcome(result.outcome(), result.summary(), result.details());
        }
        catch (InterruptedException e) {
            return stopped(job, context);
        }
        catch (Exception | LinkageError e) {
            if (context.stopReason().isPresent()) {
                return stopped(job, context);
            }
            context.log().error("Run failed: {}", e.getMessage(), e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(RunOutcome.FAILED, message, Map.of("error", e.getClass().getName()));
        }
    }

    private static Outcome stopped(JobConfig job, EngineRunContext context)
    {
        if (context.stopReason().orElse(EngineRunContext.StopReason.SHUTDOWN) == EngineRunContext.StopReason.TIMEOUT) {
            return new Outcome(RunOutcome.TIMED_OUT, "timed out after " + io.hyperops.engine.schedule.TimeSpans.format(job.timeout()), Map.of());
        }
        return new Outcome(RunOutcome.INTERRUPTED, "interrupted: hyperops is shutting down", Map.of());
    }

    private record Outcome(RunOutcome outcome, String summary, Map<String, Object> details) {}
}
