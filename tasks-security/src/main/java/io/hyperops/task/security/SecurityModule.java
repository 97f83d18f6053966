package io.hyperops.task.security;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.BackupStorage;
import io.hyperops.task.security.check.GuestSource;
import io.hyperops.task.security.check.LibvirtGuests;

/**
 * Services of the security task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.JsonFiles}, {@link io.hyperops.spi.LibvirtConnection},
 * {@link io.hyperops.spi.JobHistory} and {@link io.hyperops.spi.JobAccess}.
 */
public final class SecurityModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(SecurityAuditJob.class);
        bind(SecurityAuditService.class).in(Scopes.SINGLETON);
        bind(SecurityChecks.class).in(Scopes.SINGLETON);
        // declared by the engine too; bound by the backup task when it is installed
        OptionalBinder.newOptionalBinder(binder(), BackupStorage.class);
        bind(GuestSource.class).to(LibvirtGuests.class);
        bind(LibvirtGuests.class).in(Scopes.SINGLETON);
        bind(SecurityCommand.class);
    }
}
