package io.hyperops.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.engine.audit.AuditForwarding;
import io.hyperops.engine.audit.AuditTrail;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.control.ControlModule;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.CurrentEngineFacts;
import io.hyperops.engine.json.AtomicTextFiles;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.libvirt.LibvirtService;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.run.EngineJobAccess;
import io.hyperops.engine.run.EngineJobHistory;
import io.hyperops.engine.run.EngineJobRunner;
import io.hyperops.engine.run.JobLocks;
import io.hyperops.engine.run.RunThreads;
import io.hyperops.engine.run.RunCoordinator;
import io.hyperops.engine.run.RunExecutor;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.scheduler.CatchUpStamps;
import io.hyperops.engine.scheduler.ConfigWatcher;
import io.hyperops.engine.scheduler.FireJob;
import io.hyperops.engine.scheduler.GuiceJobFactory;
import io.hyperops.engine.scheduler.JobScheduler;
import io.hyperops.engine.scheduler.PausedJobs;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TextFiles;

import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * The engine's bindings, and the host services it offers every task through the SPI. Strict: every
 * class is bound here or in a task's module, nothing is created just in time.
 */
final class EngineModule
        extends AbstractModule
{
    private final CurrentConfig config;
    private final JobCatalog catalog;
    private final ObjectMapper mapper;
    private final Clock clock;

    EngineModule(CurrentConfig config, JobCatalog catalog, ObjectMapper mapper, Clock clock)
    {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure()
    {
        binder().requireExplicitBindings();
        binder().requireAtInjectOnConstructors();
        binder().disableCircularProxies();

        bind(CurrentConfig.class).toInstance(config);
        bind(JobCatalog.class).toInstance(catalog);
        bind(ObjectMapper.class).toInstance(mapper);
        bind(Clock.class).toInstance(clock);
        bind(HostPaths.class).toInstance(config.get().engine().paths());
        bind(ConfigLoader.class).toInstance(new ConfigLoader(mapper, catalog));

        // Host services of the SPI.
        bind(JsonFileStore.class).in(Scopes.SINGLETON);
        bind(JsonFiles.class).to(JsonFileStore.class);
        bind(AtomicTextFiles.class).in(Scopes.SINGLETON);
        bind(TextFiles.class).to(AtomicTextFiles.class);
        bind(LibvirtService.class).in(Scopes.SINGLETON);
        bind(LibvirtConnection.class).to(LibvirtService.class);
        bind(EngineJobRunner.class).in(Scopes.SINGLETON);
        bind(JobRunner.class).to(EngineJobRunner.class);
        bind(AuditForwarding.class).in(Scopes.SINGLETON);
        bind(AuditTrail.class).in(Scopes.SINGLETON);
        bind(AuditLog.class).to(AuditTrail.class);
        bind(EngineJobAccess.class).in(Scopes.SINGLETON);
        bind(JobAccess.class).to(EngineJobAccess.class);
        bind(EngineFacts.class).to(CurrentEngineFacts.class);
        bind(EngineJobHistory.class).in(Scopes.SINGLETON);
        bind(JobHistory.class).to(EngineJobHistory.class);
        // Offered by the health task when it is installed; tasks inject Optional<Preflight>.
        OptionalBinder.newOptionalBinder(binder(), Preflight.class);
        // Offered by the backup task when it is installed; health and security inject Optional<BackupStorage>.
        OptionalBinder.newOptionalBinder(binder(), BackupStorage.class);

        // Running jobs.
        bind(RunCoordinator.class).in(Scopes.SINGLETON);
        bind(JobLocks.class).in(Scopes.SINGLETON);
        bind(RunHistory.class).in(Scopes.SINGLETON);
        bind(RunExecutor.class).in(Scopes.SINGLETON);
        bind(RunThreads.class).in(Scopes.SINGLETON);

        // Scheduling.
        bind(CatchUpStamps.class).in(Scopes.SINGLETON);
        bind(PausedJobs.class).in(Scopes.SINGLETON);
        bind(JobScheduler.class).in(Scopes.SINGLETON);
        bind(GuiceJobFactory.class).in(Scopes.SINGLETON);
        bind(FireJob.class);
        bind(ConfigWatcher.class).in(Scopes.SINGLETON);

        // The daemon's face.
        bind(DaemonState.class).in(Scopes.SINGLETON);
        install(new ControlModule());

        for (TaskPlugin plugin : catalog.plugins()) {
            install(plugin.module());
        }
    }
}
