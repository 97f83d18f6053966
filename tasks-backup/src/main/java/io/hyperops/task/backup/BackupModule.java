package io.hyperops.task.backup;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.BackupStorage;

/**
 * Services of the backup task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.LibvirtConnection}, {@link io.hyperops.spi.JobAccess}, {@code java.time.Clock}
 * and the optional {@link io.hyperops.spi.Preflight}. Offers {@link BackupStorage}.
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
        // the engine declares the optional binding; health and security inject Optional<BackupStorage>
        OptionalBinder.newOptionalBinder(binder(), BackupStorage.class).setBinding().to(BackupStorageService.class).in(Scopes.SINGLETON);
    }
}
