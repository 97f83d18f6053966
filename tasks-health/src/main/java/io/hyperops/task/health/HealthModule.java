package io.hyperops.task.health;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.Preflight;
import io.hyperops.task.health.cleanup.FreeSpace;
import io.hyperops.task.health.cleanup.StorageCleanupJob;
import io.hyperops.task.health.cleanup.StorageCleanupService;
import io.hyperops.task.health.preflight.HostPreflight;
import io.hyperops.task.health.preflight.PreflightCommand;
import io.hyperops.task.health.recovery.RecoveryListener;
import io.hyperops.task.health.recovery.RecoveryService;
import io.hyperops.task.health.recovery.VmRecoveryJob;
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
        // declared by the engine too; bound by the backup task when it is installed
        OptionalBinder.newOptionalBinder(binder(), BackupStorage.class);
        bind(CommandRunner.class).toInstance(new ProcessCommandRunner());

        bind(HostPreflight.class).in(Scopes.SINGLETON);
        // the engine declares the optional binding; other tasks inject Optional<Preflight>
        OptionalBinder.newOptionalBinder(binder(), Preflight.class).setBinding().to(HostPreflight.class);
        bind(PreflightCommand.class);

        bind(StorageCleanupJob.class);
        bind(StorageCleanupService.class).in(Scopes.SINGLETON);
        bind(FreeSpace.class).toInstance(FreeSpace.fileSystem());

        bind(VmRecoveryJob.class);
        // one per engine: it holds the crash-event subscription between runs of vm-recovery
        bind(RecoveryService.class).in(Scopes.SINGLETON);
        bind(RecoveryListener.class).in(Scopes.SINGLETON);
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
