package io.hyperops.task.health;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.testing.TestingRunContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
    void offersTheMetricsJob()
    {
        assertThat(new HealthPlugin().jobs()).singleElement().satisfies(job -> {
            assertThat(job.name()).isEqualTo("metrics");
            assertThat(job.type()).isEqualTo(MetricsJob.class);
            assertThat(job.settingsType()).isEqualTo(MetricsSettings.class);
            assertThat(job.defaults()).isEqualTo(JobDefaults.scheduled("hourly"));
        });
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
                        binder().disableCircularProxies();
                        bind(HostPaths.class).toInstance(paths);
                        bind(JsonFiles.class).toInstance(new TestingJsonFiles());
                        bind(LibvirtConnection.class).toInstance(libvirt);
                    }
                },
                plugin.module());
    }
}
