package io.hyperops.engine.scheduler;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

import static java.util.Objects.requireNonNull;

/** Lets Quartz create its one job class through Guice, a fresh instance per fire. */
public final class GuiceJobFactory
        implements JobFactory
{
    private final Provider<FireJob> fireJobs;

    @Inject
    public GuiceJobFactory(Provider<FireJob> fireJobs)
    {
        this.fireJobs = requireNonNull(fireJobs, "fireJobs is null");
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler)
    {
        return fireJobs.get();
    }
}
