package io.hyperops.task.update;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.hyperops.spi.HostPaths;

/**
 * Services of the update task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.JsonFiles}, {@link io.hyperops.spi.LibvirtConnection},
 * {@link io.hyperops.spi.JobRunner}, {@link io.hyperops.spi.JobHistory}, {@link io.hyperops.spi.JobAccess},
 * {@link io.hyperops.spi.AuditLog} and the optional {@link io.hyperops.spi.Preflight}.
 */
public final class UpdateModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(UpdateCheckJob.class);
        bind(UpdateJob.class);
        bind(UpdateRollbackJob.class);
        bind(UpdateCommand.class);
        bind(UpdateService.class).in(Scopes.SINGLETON);
        bind(UpdateResumption.class).in(Scopes.SINGLETON);
        bind(UpdateChecker.class).in(Scopes.SINGLETON);
        bind(UpdateStateStore.class).in(Scopes.SINGLETON);
        bind(UpdatePreflight.class).in(Scopes.SINGLETON);
        bind(HealthGate.class).in(Scopes.SINGLETON);
        bind(Providers.class).in(Scopes.SINGLETON);
    }

    /** Programs of updates run in transient systemd units when the daemon is a systemd service. */
    @Provides
    @Singleton
    CommandRunner commandRunner(HostPaths paths)
    {
        return ProcessCommandRunner.forThisProcess(paths.stateDir().resolve("update-commands"));
    }
}
