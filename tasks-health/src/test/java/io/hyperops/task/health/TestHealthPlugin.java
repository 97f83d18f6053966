package io.hyperops.task.health;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.Description;
import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TextFiles;
import io.hyperops.task.health.preflight.HostPreflight;
import io.hyperops.task.health.preflight.PreflightCommand;
import io.hyperops.task.health.recovery.RecoveryListener;
import io.hyperops.task.health.recovery.RecoveryService;
import io.hyperops.task.health.recovery.VmRecoverySettings;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;
import io.hyperops.testing.TestingSettings;
import io.hyperops.testing.TestingTextFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

final class TestHealthPlugin
{
    @TempDir
    Path folder;

    @Test
    void serviceLoaderFindsThePlugin()
    {
        List<TaskPlugin> plugins = ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).singleElement().isInstanceOf(HealthPlugin.class);
        assertThat(plugins.get(0).name()).isEqualTo("health");
    }

    @Test
    void offersItsJobsWithTheSeedsSchedules()
    {
        List<JobDefinition> jobs = new HealthPlugin().jobs();

        assertThat(jobs).extracting(JobDefinition::name).containsExactly("metrics", "health", "storage-cleanup", "vm-recovery");
        assertThat(jobs.get(0).defaults()).isEqualTo(JobDefaults.scheduled("hourly"));
        assertThat(jobs.get(1).type()).isEqualTo(HealthJob.class);
        assertThat(jobs.get(1).settingsType()).isEqualTo(HealthSettings.class);
        assertThat(jobs.get(1).defaults()).isEqualTo(JobDefaults.scheduled("daily").withRunAfterStart(Duration.ofMinutes(5)).withCatchUp(true).withTimeout(Duration.ofMinutes(5)));
        assertThat(jobs.get(2).defaults().schedule()).isEqualTo("weekly");
        assertThat(jobs.get(3).defaults().schedule()).isEqualTo("minutely");
        assertThat(new HealthPlugin().commands()).extracting(CommandDefinition::name).containsExactly("preflight");
        assertThat(new HealthPlugin().services()).containsExactly(RecoveryListener.class);
    }

    @Test
    void theCrashListenerStartsWithTheDaemonAndStops()
    {
        Injector injector = strictInjector(new HealthPlugin(), TestingLibvirtConnection.testDriver());
        RecoveryListener listener = injector.getInstance(RecoveryListener.class);

        listener.start();
        listener.stop();
        // The same service the job sweeps with, so the job keeps the listener's settings current.
        assertThat(injector.getInstance(RecoveryService.class)).isSameAs(injector.getInstance(RecoveryService.class));
    }

    @Test
    void everySettingIsDescribed()
    {
        for (JobDefinition job : new HealthPlugin().jobs()) {
            assertThat(job.settingsType().getAnnotation(Description.class)).as(job.name()).isNotNull();
            for (RecordComponent component : job.settingsType().getRecordComponents()) {
                assertThat(component.getAnnotation(Description.class)).as("@Description on %s.%s", job.name(), component.getName()).isNotNull();
            }
        }
    }

    @Test
    void theConfigFileCheckedIsTheEnginesUnlessSet()
    {
        // a daemon started with --config checks that file, not /etc/hypervisor/hyperops.json
        assertThat(HealthSettings.defaults().withConfigFileOr(Path.of("/srv/hyperops/test.json")).configFile()).isEqualTo(Path.of("/srv/hyperops/test.json"));
        HealthSettings set = TestingSettings.of(HealthSettings.class, "configFile", Path.of("/etc/other.json"));
        assertThat(set.withConfigFileOr(Path.of("/srv/hyperops/test.json")).configFile()).isEqualTo(Path.of("/etc/other.json"));
    }

    @Test
    void fillsThePreflightBindingAndItsCommand()
    {
        Injector injector = strictInjector(new HealthPlugin(), TestingLibvirtConnection.testDriver());

        assertThat(injector.getInstance(Key.get(new TypeLiteral<Optional<Preflight>>() {}))).get().isInstanceOf(HostPreflight.class);
        assertThat(injector.getInstance(PreflightCommand.class)).isNotNull();
        assertThat(injector.getInstance(RecoveryService.class)).isSameAs(injector.getInstance(RecoveryService.class));
    }

    @Test
    void everyJobComesFromAStrictInjector()
    {
        HealthPlugin plugin = new HealthPlugin();
        Injector injector = strictInjector(plugin, TestingLibvirtConnection.testDriver());

        for (JobDefinition job : plugin.jobs()) {
            assertThat(injector.getInstance(job.type())).as(job.name()).isInstanceOf(job.type());
        }
    }

    @Test
    @Tag("libvirt")
    void runsMetricsOnThisHost()
            throws Exception
    {
        HealthPlugin plugin = new HealthPlugin();
        Injector injector = strictInjector(plugin, TestingLibvirtConnection.testDriver());

        JobResult result = injector.getInstance(MetricsJob.class)
                .run(new TestingRunContext("metrics", MetricsSettings.defaults(), Clock.systemDefaultZone()));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(Path.of((String) result.details().get("file"))).isRegularFile().hasParent(folder.resolve("data"));
    }

    /** The injector the engine builds: production stage, explicit bindings only, no circular proxies. */
    private Injector strictInjector(TaskPlugin plugin, LibvirtConnection libvirt)
    {
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        return Guice.createInjector(
                Stage.PRODUCTION,
                new AbstractModule()
                {
                    @Override
                    protected void configure()
                    {
                        binder().requireExplicitBindings();
                        binder().requireAtInjectOnConstructors();
                        binder().disableCircularProxies();
                        bind(HostPaths.class).toInstance(paths);
                        bind(JsonFiles.class).toInstance(new TestingJsonFiles());
                        bind(TextFiles.class).toInstance(new TestingTextFiles());
                        bind(LibvirtConnection.class).toInstance(libvirt);
                        bind(JobHistory.class).toInstance(new TestingJobHistory());
                        bind(AuditLog.class).toInstance(new TestingAuditLog());
                        bind(JobAccess.class).toInstance(new TestingJobAccess().with(RecoveryListener.JOB, VmRecoverySettings.defaults()));
                        bind(Clock.class).toInstance(Clock.systemDefaultZone());
                        bind(EngineFacts.class).toInstance(TestingEngineFacts.defaults());
                        // as the engine does: the health task fills it
                        OptionalBinder.newOptionalBinder(binder(), Preflight.class);
                    }
                },
                plugin.module());
    }
}
