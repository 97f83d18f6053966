package io.hyperops.task.network;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.Description;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TextFiles;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingTextFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestNetworkPlugin
{
    @TempDir
    Path folder;

    @Test
    void serviceLoaderFindsThePlugin()
    {
        List<TaskPlugin> plugins = ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).singleElement().isInstanceOf(NetworkPlugin.class);
        assertThat(plugins.get(0).name()).isEqualTo("network");
    }

    @Test
    void offersTheHourlyCheckTheCommandAndTheRecoveryService()
    {
        NetworkPlugin plugin = new NetworkPlugin();

        assertThat(plugin.jobs()).singleElement().satisfies(job -> {
            assertThat(job.name()).isEqualTo("network-check");
            assertThat(job.defaults()).isEqualTo(JobDefaults.scheduled("hourly").withTimeout(Duration.ofMinutes(5)));
            assertThat(job.settingsType()).isEqualTo(NetworkSettings.class);
        });
        assertThat(plugin.commands()).extracting(CommandDefinition::name).containsExactly("network");
        assertThat(plugin.services()).containsExactly(NetworkRecovery.class);
    }

    @Test
    void everySettingIsDescribedAndDefaulted()
    {
        for (JobDefinition job : new NetworkPlugin().jobs()) {
            assertThat(job.settingsType().getAnnotation(Description.class)).as(job.name()).isNotNull();
            for (RecordComponent component : job.settingsType().getRecordComponents()) {
                assertThat(component.getAnnotation(Description.class)).as("@Description on %s.%s", job.name(), component.getName()).isNotNull();
            }
        }
        NetworkSettings defaults = NetworkSettings.defaults();
        assertThat(defaults.networkdDir()).isEqualTo(Path.of("/etc/systemd/network"));
        assertThat(defaults.confirmTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.probeTargets()).isEmpty();
    }

    @Test
    void probeTargetsMustBeAddresses()
    {
        assertThatThrownBy(() -> new NetworkSettings(null, null, List.of("gateway.example.org"), null, null, null))
                .hasMessageContaining("probe_targets: 'gateway.example.org' is not an IP address");
        assertThatThrownBy(() -> new NetworkSettings(null, Duration.ZERO, null, null, null, null))
                .hasMessageContaining("confirm_timeout must be longer than zero");
    }

    @Test
    void everyBindingComesFromAStrictInjector()
            throws Exception
    {
        Injector injector = strictInjector();

        assertThat(injector.getInstance(NetworkCheckJob.class)).isNotNull();
        assertThat(injector.getInstance(NetworkCommand.class)).isNotNull();
        assertThat(injector.getInstance(NetworkChanges.class)).isSameAs(injector.getInstance(NetworkChanges.class));
        // nothing pending in a fresh state folder: start settles nothing and touches no interface
        injector.getInstance(NetworkRecovery.class).start();
        assertThat(injector.getInstance(HostShell.class).prefix()).isEmpty();
    }

    /** The injector the engine builds: production stage, explicit bindings only, no circular proxies. */
    private Injector strictInjector()
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
                        bind(AuditLog.class).toInstance(new TestingAuditLog());
                        bind(JobAccess.class).toInstance(new TestingJobAccess().with(NetworkPlugin.CHECK_JOB, NetworkSettings.defaults()));
                        bind(Clock.class).toInstance(Clock.systemUTC());
                        bind(TextFiles.class).toInstance(new TestingTextFiles());
                    }
                },
                new NetworkPlugin().module());
    }
}
