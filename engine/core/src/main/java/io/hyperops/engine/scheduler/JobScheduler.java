package io.hyperops.engine.scheduler;

import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.config.EngineSettings;
import io.hyperops.engine.config.JobConfig;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Quartz, driven from the config: one durable Quartz job per hyperops job, a cron trigger for its
 * schedule, one-shot triggers for jitter, catch-up, {@code run_after_start} and the fire a
 * spring-forward gap swallows (made up for at the gap's end; {@code forecast} and {@code jobs} show the
 * cron trigger's fires only). Quartz's own misfire
 * handling is off ("do nothing"): catch-up is decided here, once, from the stamps on disk, the same way
 * for the in-memory and the JDBC job store.
 */
public final class JobScheduler
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);
    private static final String GROUP = "hyperops";

    private final CurrentConfig config;
    private final GuiceJobFactory jobFactory;
    private final CatchUpStamps stamps;
    private final PausedJobs paused;
    private final Clock clock;
    private final AtomicLong oneShots = new AtomicLong();
    private volatile Scheduler quartz;

    @Inject
    public JobScheduler(CurrentConfig config, GuiceJobFactory jobFactory, CatchUpStamps stamps, PausedJobs paused, Clock clock)
    {
        this.paused = requireNonNull(paused, "paused is null");
        this.config = requireNonNull(config, "config is null");
        this.jobFactory = requireNonNull(jobFactory, "jobFactory is null");
        this.stamps = requireNonNull(stamps, "stamps is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void start()
            throws SchedulerException
    {
        EngineConfig current = config.get();
        StdSchedulerFactory factory = new StdSchedulerFactory(quartzProperties(current.engine()));
        Scheduler created = factory.getScheduler();
        created.setJobFactory(jobFactory);
        quartz = created;
        for (JobConfig job : current.jobs().values()) {
            created.addJob(JobBuilder.newJob(FireJob.class).withIdentity(job.name(), GROUP).storeDurably().build(), true);
            if (job.scheduled()) {
                scheduleCron(job);
                job.runAfterStart().ifPresent(delay -> fireOnce(job.name(), Trigger.SCHEDULE, delay, "after-start"));
            }
        }
        for (String job : paused.all()) {
            if (current.job(job).isPresent()) {
                created.pauseJob(JobKey.jobKey(job, GROUP));
                log.info("Job {}: paused (by an admin; 'hyperops resume {}' lifts it)", job, job);
            }
        }
        catchUp(current);
        created.start();
    }

    /** Stops the job's schedule from firing, across restarts, until {@link #resume}; manual runs still work. */
    public void pause(String job)
            throws SchedulerException
    {
        paused.set(job, true);
        if (quartz != null) {
            quartz.pauseJob(JobKey.jobKey(job, GROUP));
        }
    }

    public void resume(String job)
            throws SchedulerException
    {
        paused.set(job, false);
        if (quartz != null) {
            quartz.resumeJob(JobKey.jobKey(job, GROUP));
        }
    }

    public java.util.Set<String> paused()
    {
        return paused.all();
    }

    /** Fires each job with {@code catch_up} once if its schedule fired while the engine was down. */
    private void catchUp(EngineConfig current)
    {
        Instant now = clock.instant();
        for (JobConfig job : current.jobs().values()) {
            if (!job.scheduled() || paused.all().contains(job.name())) {
                continue;
            }
            Optional<Instant> last = stamps.last(job.name());
            Optional<ZonedDateTime> missed = last.flatMap(job.schedule()::nextFireAfter).filter(fire -> fire.toInstant().isBefore(now));
            if (job.catchUp() && missed.isPresent()) {
                log.info("Job {}: missed its fire at {} while hyperops was down; catching up now", job.name(), missed.get());
                fireOnce(job.name(), Trigger.CATCH_UP, Duration.ZERO, "catch-up");
            }
            // From now on, downtime is measured from this start.
            try {
                stamps.record(job.name(), now);
            }
            catch (RuntimeException e) {
                log.warn("Job {}: cannot record this start for catch-up ({}); the next start may catch up fires this run makes", job.name(), e.getMessage());
            }
        }
    }

    /** Applies an accepted config edit: re-creates the schedule trigger of each job whose schedule changed. */
    public List<String> reschedule(EngineConfig previous, EngineConfig next)
            throws SchedulerException
    {
        List<String> changed = new ArrayList<>();
        for (JobConfig job : next.jobs().values()) {
            Optional<JobConfig> before = previous.job(job.name());
            if (before.isPresent() && sameTiming(before.get(), job)) {
                continue;
            }
            changed.add(job.name());
            if (quartz == null) {
                continue;
            }
            quartz.unscheduleJob(scheduleKey(job.name()));
            quartz.unscheduleJob(TriggerKey.triggerKey(job.name() + ".dst-gap", GROUP));
            if (job.scheduled()) {
                scheduleCron(job);
            }
            log.info("Job {}: rescheduled to '{}' ({}), next fire {}", job.name(), job.schedule().expression(),
                    job.enabled() ? "enabled" : "disabled", nextFire(job.name()).map(Instant::toString).orElse("none"));
        }
        return changed;
    }

    private static boolean sameTiming(JobConfig before, JobConfig after)
    {
        return before.scheduled() == after.scheduled()
                && before.schedule().expression().equals(after.schedule().expression())
                && before.schedule().zone().equals(after.schedule().zone());
    }

    /** Fires a job once after {@code delay}, for its schedule's fire at {@code scheduledFire}: the jitter. */
    void fireLater(String job, Duration delay, Instant scheduledFire)
    {
        fireOnce(job, Trigger.SCHEDULE, delay, "jitter", scheduledFire);
    }

    private void fireOnce(String job, Trigger trigger, Duration delay, String purpose)
    {
        fireOnce(job, trigger, delay, purpose, null);
    }

    private void fireOnce(String job, Trigger trigger, Duration delay, String purpose, Instant scheduledFire)
    {
        TriggerBuilder<org.quartz.Trigger> builder = TriggerBuilder.newTrigger()
                .withIdentity(job + "." + purpose + "-" + oneShots.incrementAndGet(), GROUP)
                .forJob(job, GROUP)
                .usingJobData(FireJob.TRIGGER, trigger.jsonName())
                .startAt(Date.from(Instant.now().plus(delay)));
        if (scheduledFire != null) {
            builder.usingJobData(FireJob.JITTERED, true).usingJobData(FireJob.SCHEDULED_FIRE, scheduledFire.toEpochMilli());
        }
        try {
            org.quartz.Trigger built = builder.build();
            quartz.scheduleJob(built);
            pauseIfPaused(job, built.getKey());
        }
        catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule the " + purpose + " fire of job " + job + ": " + e.getMessage(), e);
        }
    }

    private void scheduleCron(JobConfig job)
    {
        // A dated schedule ("2026-03-01 03:00") whose date has passed is no error: it has fired, or was
        // missed, and Quartz would refuse it ("will never fire") and stop the daemon from starting.
        // Quartz's own time, not the engine's clock: it is Quartz that computes the first fire.
        if (job.schedule().nextFireAfter(Instant.now()).isEmpty()) {
            log.warn("Job {}: its schedule '{}' fires no more (its date has passed); the job runs only when asked", job.name(), job.schedule().expression());
            return;
        }
        String cron = job.schedule().quartzCron().orElseThrow();
        org.quartz.Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(scheduleKey(job.name()))
                .forJob(job.name(), GROUP)
                .usingJobData(FireJob.TRIGGER, Trigger.SCHEDULE.jsonName())
                .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                        .inTimeZone(TimeZone.getTimeZone(job.schedule().zone()))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        try {
            quartz.scheduleJob(trigger);
            pauseIfPaused(job.name(), trigger.getKey());
        }
        catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule job " + job.name() + ": " + e.getMessage(), e);
        }
        scheduleSkippedFire(job, Instant.now());
    }

    /**
     * Sets a one-shot fire at the end of the next spring-forward gap after {@code after} that swallows one
     * of the job's fires ({@link io.hyperops.engine.schedule.Schedule#nextSkippedFire}); that fire, when it
     * comes, sets the next one. One per job under a fixed key, replaced with the schedule: it carries the
     * schedule and zone it was made for, and one missed while the daemon was down is not fired late.
     */
    void scheduleSkippedFire(JobConfig job, Instant after)
    {
        TriggerKey key = TriggerKey.triggerKey(job.name() + ".dst-gap", GROUP);
        try {
            quartz.unscheduleJob(key);
        }
        catch (SchedulerException e) {
            log.warn("Job {}: cannot replace its clock-change fire: {}", job.name(), e.getMessage());
        }
        job.schedule().nextSkippedFire(after).ifPresent(gapEnd -> {
            org.quartz.Trigger built = TriggerBuilder.newTrigger()
                    .withIdentity(key)
                    .forJob(job.name(), GROUP)
                    .usingJobData(FireJob.TRIGGER, Trigger.SCHEDULE.jsonName())
                    .usingJobData(FireJob.FOR_SCHEDULE, job.schedule().toString())
                    .startAt(Date.from(gapEnd))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            try {
                quartz.scheduleJob(built);
                pauseIfPaused(job.name(), built.getKey());
                log.info("Job {}: its fire in the clock change's gap is made up for at {}", job.name(), gapEnd);
            }
            catch (SchedulerException e) {
                log.warn("Job {}: cannot set the fire that makes up for the clock change at {}: {}", job.name(), gapEnd, e.getMessage());
            }
        });
    }

    // Quartz pauses only the triggers a job has when it is paused; new ones (a reload, jitter) start active.
    private void pauseIfPaused(String job, TriggerKey key)
            throws SchedulerException
    {
        if (paused.all().contains(job)) {
            quartz.pauseTrigger(key);
        }
    }

    /** The next time the job's schedule fires in this engine (jitter not included). */
    public Optional<Instant> nextFire(String job)
    {
        try {
            Scheduler current = quartz;
            if (current == null) {
                return Optional.empty();
            }
            org.quartz.Trigger trigger = current.getTrigger(scheduleKey(job));
            return Optional.ofNullable(trigger).map(org.quartz.Trigger::getNextFireTime).map(Date::toInstant);
        }
        catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** True while Quartz is started and not shut down: what the watchdog reports to systemd. */
    public boolean healthy()
    {
        try {
            Scheduler current = quartz;
            return current != null && current.isStarted() && !current.isInStandbyMode() && !current.isShutdown();
        }
        catch (SchedulerException e) {
            return false;
        }
    }

    /** Stops firing new triggers; runs already going are left alone. */
    public void standby()
    {
        try {
            if (quartz != null) {
                quartz.standby();
            }
        }
        catch (SchedulerException e) {
            log.warn("Cannot pause the scheduler: {}", e.getMessage());
        }
    }

    @Override
    public void close()
    {
        try {
            if (quartz != null) {
                // Runs were already given their grace period and interrupted by the engine. Waiting here is
                // for a fire being handled (FireJob only stamps and hands the run over), so that nothing
                // writes the daemon's files after it has stopped.
                quartz.shutdown(true);
            }
        }
        catch (SchedulerException e) {
            log.warn("Scheduler shutdown failed: {}", e.getMessage());
        }
    }

    private static TriggerKey scheduleKey(String job)
    {
        return TriggerKey.triggerKey(job + ".schedule", GROUP);
    }

    private static Properties quartzProperties(EngineSettings engine)
    {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "hyperops");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(engine.workerThreads()));
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "hyperops-worker");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        for (Map.Entry<String, String> entry : engine.quartz().entrySet()) {
            properties.setProperty(entry.getKey(), entry.getValue());
        }
        return properties;
    }
}
