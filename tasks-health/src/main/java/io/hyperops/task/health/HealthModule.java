package io.hyperops.task.health;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * Services of the health task. Needs from the engine: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.JsonFiles}, {@link io.hyperops.spi.LibvirtConnection},
 * {@link io.hyperops.spi.JobHistory} and {@link io.hyperops.spi.AuditLog}.
 */
public final class HealthModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(MetricsJob.class);
        bind(MetricsService.class).in(Scopes.SINGLETON);
        bind(MetricsCollector.class).in(Scopes.SINGLETON);
        bind(MetricsStore.class).in(Scopes.SINGLETON);

        bind(HealthJob.class);
        bind(HealthService.class).in(Scopes.SINGLETON);
        bind(HealthChecks.class).in(Scopes.SINGLETON);
        bind(BackupCatalog.class).in(Scopes.SINGLETON);
        bind(CommandRunner.class).to(ProcessCommandRunner.class);
        bind(ProcessCommandRunner.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    ProcFiles procFiles()
    {
        return new ProcFiles(Path.of("/proc"));
    }

    @Provides
    @Singleton
    HostFiles hostFiles()
    {
        return HostFiles.host();
    }
}
