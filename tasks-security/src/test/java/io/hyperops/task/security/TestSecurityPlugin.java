package io.hyperops.task.security;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.Description;
import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TextFiles;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingTextFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

final class TestSecurityPlugin
{
    @TempDir
    Path folder;

    @Test
    void serviceLoaderFindsThePlugin()
    {
        List<TaskPlugin> plugins = ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).singleElement().isInstanceOf(SecurityPlugin.class);
        assertThat(plugins.get(0).name()).isEqualTo("security");
    }

    @Test
    void offersTheDailyAuditAndTheSecurityCommand()
    {
        SecurityPlugin plugin = new SecurityPlugin();

        assertThat(plugin.jobs()).singleElement().satisfies(job -> {
            assertThat(job.name()).isEqualTo("security-audit");
            assertThat(job.type()).isEqualTo(SecurityAuditJob.class);
            assertThat(job.settingsType()).isEqualTo(SecurityAuditSettings.class);
            assertThat(job.defaults()).isEqualTo(JobDefaults.scheduled("daily").withCatchUp(true).withTimeout(Duration.ofMinutes(10)));
        });
        assertThat(plugin.commands()).extracting(CommandDefinition::name).containsExactly("security");
        assertThat(plugin.services()).isEmpty();
    }

    @Test
    void everySettingIsDescribed()
    {
        for (JobDefinition job : new SecurityPlugin().jobs()) {
            assertThat(job.settingsType().getAnnotation(Description.class)).as(job.name()).isNotNull();
            for (RecordComponent component : job.settingsType().getRecordComponents()) {
                assertThat(component.getAnnotation(Description.class)).as("@Description on %s.%s", job.name(), component.getName()).isNotNull();
            }
        }
    }

    @Test
    void jobAndCommandComeFromAStrictInjector()
            throws Exception
    {
        SecurityPlugin plugin = new SecurityPlugin();
        Injector injector = strictInjector(plugin);

        for (JobDefinition job : plugin.jobs()) {
            assertThat(injector.getInstance(job.type())).as(job.name()).isInstanceOf(job.type());
        }
        StringWriter out = new StringWriter();
        int exitCode = injector.getInstance(SecurityCommand.class).run(List.of("polkit-rules"), new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("polkit.addRule", "subject.isInGroup(\"hypervisor-operator\")");
    }

    /** The injector the engine builds: production stage, explicit bindings only, no circular proxies. */
    private Injector strictInjector(TaskPlugin plugin)
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
                        bind(LibvirtConnection.class).toInstance(new TestingLibvirtConnection(TestingLibvirtConnection.TEST_DRIVER));
                        bind(JobHistory.class).toInstance(new TestingJobHistory());
                        bind(AuditLog.class).toInstance(event -> { });
                        bind(JobAccess.class).toInstance(new TestingJobAccess().with(SecurityPlugin.AUDIT_JOB, SecurityAuditSettings.defaults()));
                        bind(Clock.class).toInstance(Clock.systemUTC());
                        bind(EngineFacts.class).toInstance(TestingEngineFacts.defaults());
                    }
                },
                plugin.module());
    }
}
