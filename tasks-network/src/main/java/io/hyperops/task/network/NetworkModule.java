package io.hyperops.task.network;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Services of the network task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.AuditLog}, {@link io.hyperops.spi.JobAccess} and {@code java.time.Clock}.
 */
public final class NetworkModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        // The host's own network; tests build the services over a namespace instead.
        bind(HostShell.class).toInstance(HostShell.host());
        bind(InterfaceDiscovery.class).in(Scopes.SINGLETON);
        bind(Probes.class).in(Scopes.SINGLETON);
        bind(NetworkChanges.class).in(Scopes.SINGLETON);
        bind(NetworkCheckService.class).in(Scopes.SINGLETON);
        bind(NetworkCheckJob.class);
        bind(NetworkRecovery.class).in(Scopes.SINGLETON);
        bind(NetworkCommand.class);
    }
}
