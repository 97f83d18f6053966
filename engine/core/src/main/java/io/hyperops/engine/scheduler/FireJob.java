package io.hyperops.engine.scheduler;

import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.engine.run.RunExecutor;
import io.hyperops.engine.run.RunThreads;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * The engine's only Quartz job: a trigger of hyperops job X fired. It stamps the fire for catch-up,
 * applies the job's jitter by firing again later, or hands the run to {@link RunExecutor} on a thread
 * of its own ({@link RunThreads}), so that Quartz's worker is free again at once.
 */
public final class FireJob
        implements Job
{
    static final String TRIGGER = "trigger";
    static final String JITTERED = "jittered";
    // the schedule's own fire time behind a jittered fire, in epoch milliseconds
    static final String SCHEDULED_FIRE = "scheduled_fire";
    // the schedule (expression and zone) a fire making up for a daylight-saving gap was set for
    static final String FOR_SCHEDULE = "for_schedule";

    private static final Logger log = LoggerFactory.getLogger(FireJob.class);

    private final CurrentConfig config;
    private final RunExecutor executor;
    private final JobScheduler scheduler;
    private final CatchUpStamps stamps;
    private final RunThreads runThreads;

    @Inject
    public FireJob(CurrentConfig config, RunExecutor executor, JobScheduler scheduler, CatchUpStamps stamps, RunThreads runThreads)
    {
        this.runThreads = requireNonNull(runThreads, "runThreads is null");
        this.config = requireNonNull(config, "config is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.stamps = requireNonNull(stamps, "stamps is null");
    }

    @Override
    public void execute(JobExecutionContext context)
    {
        String jobName = context.getJobDetail().getKey().getName();
        JobDataMap data = context.getMergedJobDataMap();
        Trigger trigger = Trigger.fromJsonName(data.getString(TRIGGER));
        Optional<JobConfig> job = config.get().job(jobName);
        // A reload may have disabled or removed the job after a jitter, catch-up or after-start fire was set.
        if (job.isEmpty() || !job.get().scheduled()) {
            log.info("Job {}: a pending {} fire is dropped: the config in force no longer schedules the job", jobName, trigger.jsonName());
            return;
        }
        if (data.containsKey(FOR_SCHEDULE)) {
            // a fire making up for a clock change's gap: only for the schedule it was set for, and it sets the next
            if (!data.getString(FOR_SCHEDULE).equals(job.get().schedule().toString())) {
                log.info("Job {}: a fire set for its former schedule '{}' is dropped", jobName, data.getString(FOR_SCHEDULE));
                return;
            }
            log.info("Job {}: the clock skipped its fire; running it now, at the end of the gap", jobName);
            // from just after this gap: Quartz may fire a few milliseconds early, and the gap would be found again
            scheduler.scheduleSkippedFire(job.get(), context.getScheduledFireTime().toInstant().plusMillis(1));
        }
        Instant scheduledFire = data.containsKey(SCHEDULED_FIRE) ? Instant.ofEpochMilli(data.getLong(SCHEDULED_FIRE)) : context.getScheduledFireTime().toInstant();
        if (trigger == Trigger.SCHEDULE && !data.containsKey(JITTERED) && !job.get().jitter().isZero()) {
            // stamped when the delayed fire runs, not now: a restart within the jitter would otherwise lose
            // this fire, already on record as done, to no catch-up
            Duration delay = Duration.ofMillis(ThreadLocalRandom.current().nextLong(job.get().jitter().toMillis()));
            scheduler.fireLater(jobName, delay, scheduledFire);
            return;
        }
        if (trigger == Trigger.SCHEDULE) {
            try {
                stamps.record(jobName, scheduledFire);
            }
            catch (RuntimeException e) {
                // a full disk must not cost the run too; at worst the next start catches this fire up again
                log.warn("Job {}: cannot record its fire for catch-up ({}); running it all the same", jobName, e.getMessage());
            }
        }
        try {
            executor.submit(jobName, trigger, runThreads).result().whenComplete((record, error) -> {
                if (error != null) {
                    // Quartz would only log this at its own level; the operator needs it in the engine log.
                    log.error("Job {} could not be run: {}", jobName, error.getMessage(), error);
                }
            });
        }
        catch (RejectedExecutionException e) {
            log.info("Job {}: fire dropped: hyperops is shutting down", jobName);
        }
    }
}
