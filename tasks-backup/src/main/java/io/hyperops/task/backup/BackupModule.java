package io.hyperops.task.backup;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Services of the backup task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.LibvirtConnection}, {@link io.hyperops.spi.JobAccess}, {@code java.time.Clock}
 * and the optional {@link io.hyperops.spi.Preflight}.
 */
public final class BackupModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(BackupJob.class);
        bind(BackupVerifyJob.class);
        bind(BackupCommand.class);
        bind(BackupService.class).in(Scopes.SINGLETON);
        bind(RestoreService.class).in(Scopes.SINGLETON);
        bind(BackupOperations.class).in(Scopes.SINGLETON);
        bind(BackupWarmup.class).in(Scopes.SINGLETON);
    }
}
