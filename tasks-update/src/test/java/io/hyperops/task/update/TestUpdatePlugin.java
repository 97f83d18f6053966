package io.hyperops.task.update;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.Description;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TextFiles;
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

final class TestUpdatePlugin
{
    // As the engine reads config values: snake_case, unknown keys are errors.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new JavaTimeModule())
            .build();

    @TempDir
    Path folder;

    @Test
    void serviceLoaderFindsThePlugin()
    {
        List<TaskPlugin> plugins = ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).singleElement().isInstanceOf(UpdatePlugin.class);
        assertThat(plugins.get(0).name()).isEqualTo("update");
    }

    @Test
    void offersItsJobsWithTheSeedsSchedules()
    {
        List<JobDefinition> jobs = new UpdatePlugin().jobs();

        assertThat(jobs).extracting(JobDefinition::name).containsExactly("update-check", "update", "update-rollback");
        assertThat(jobs.get(0).defaults()).isEqualTo(JobDefaults.scheduled("weekly").withCatchUp(true).withTimeout(Duration.ofMinutes(30)));
        assertThat(jobs.get(1).defaults().schedule()).isEqualTo("manual");
        assertThat(jobs.get(1).settingsType()).isEqualTo(UpdateSettings.class);
        assertThat(jobs.get(2).defaults().schedule()).isEqualTo("manual");
        assertThat(new UpdatePlugin().commands()).extracting(CommandDefinition::name).containsExactly("update");
    }

    @Test
    void everySettingIsDescribedProvidersIncluded()
    {
        List<Class<?>> types = new java.util.ArrayList<>(new UpdatePlugin().jobs().stream().map(JobDefinition::settingsType).toList());
        types.addAll(List.of(ProviderSettings.class.getPermittedSubclasses()));
        for (Class<?> type : types) {
            assertThat(type.getAnnotation(Description.class)).as(type.getName()).isNotNull();
            for (RecordComponent component : type.getRecordComponents()) {
                assertThat(component.getAnnotation(Description.class)).as("@Description on %s.%s", type.getSimpleName(), component.getName()).isNotNull();
            }
        }
    }

    @Test
    void providersAreReadFromTheConfigByType()
            throws Exception
    {
        List<ProviderSettings> providers = readProviders("""
                [{"type": "git", "repository": "/srv/config", "branch": "stable"},
                 {"type": "nixos", "host": "hv1"},
                 {"type": "apt", "options": ["Acquire::Retries=3"]},
                 {"type": "command", "name": "site", "check": ["/usr/local/sbin/site-check"], "apply": ["/usr/local/sbin/site-update"]}]
                """);

        assertThat(providers).extracting(ProviderSettings::type).containsExactly("git", "nixos", "apt", "command");
        assertThat(providers.get(0)).isEqualTo(new ProviderSettings.Git("git", Path.of("/srv/config"), "origin", "stable", Duration.ofMinutes(2)));
        assertThat(((ProviderSettings.Nixos) providers.get(1)).flake()).isEqualTo("/etc/hypervisor");
        assertThat(((ProviderSettings.Command) providers.get(3)).rollback()).isEmpty();
        assertThat(UpdateSettings.defaults().providers()).containsExactly(new ProviderSettings.Git(null, null, null, null, null));
    }

    @Test
    void providersAreWrittenWithTheirTypeOnce()
    {
        // as the config reference renders the default: the list itself, with no declared element type
        String json = MAPPER.valueToTree(UpdateSettings.defaults().providers()).toString();

        assertThat(json).startsWith("[{\"type\":\"git\",\"name\":\"git\",");
        assertThat(json.split("\"type\"", -1)).hasSize(2);
    }

    @Test
    void providersReadBackAsWritten()
            throws Exception
    {
        List<ProviderSettings> providers = List.of(
                new ProviderSettings.Git(null, Path.of("/srv/config"), null, "stable", null),
                new ProviderSettings.Command("site", List.of("check"), List.of("apply"), List.of("rollback"), null, null, null),
                new ProviderSettings.Nixos(null, null, "hv1", null, null),
                new ProviderSettings.Apt(null, List.of("Acquire::Retries=3"), null, null, null, null, null));
        JavaType type = MAPPER.getTypeFactory().constructType(UpdateSettings.class.getRecordComponents()[0].getGenericType());

        String json = MAPPER.writerFor(type).writeValueAsString(providers);

        assertThat(json.split("\"type\"", -1)).hasSize(5);
        assertThat(readProviders(json)).isEqualTo(providers);
    }

    @Test
    void badProviderEntriesAreNamed()
    {
        assertThatThrownBy(() -> readProviders("[{\"type\": \"git\", \"repo\": \"/srv\"}]")).hasMessageContaining("\"repo\"");
        assertThatThrownBy(() -> readProviders("[{\"type\": \"yum\"}]")).hasMessageContaining("yum").hasMessageContaining("known type ids");
        assertThatThrownBy(() -> readProviders("[{\"type\": \"command\", \"name\": \"site\"}]")).hasMessageContaining("provider 'site' (command): 'apply' is required");
        assertThatThrownBy(() -> new UpdateSettings(List.of(new ProviderSettings.Git(null, null, null, null, null), new ProviderSettings.Git(null, Path.of("/srv"), null, null, null)),
                null, null, null, null, null, null, null)).hasMessageContaining("the name 'git' is used twice");
    }

    @Test
    void everyJobAndTheCommandComeFromAStrictInjector()
    {
        UpdatePlugin plugin = new UpdatePlugin();
        Injector injector = strictInjector(plugin, new TestingUpdateHost(folder, TestingLibvirtConnection.testDriver()));

        for (JobDefinition job : plugin.jobs()) {
            assertThat(injector.getInstance(job.type())).as(job.name()).isInstanceOf(job.type());
        }
        assertThat(injector.getInstance(UpdateCommand.class)).isNotNull();
        assertThat(injector.getInstance(UpdateService.class)).isSameAs(injector.getInstance(UpdateService.class));
    }

    /** The injector the engine builds: production stage, explicit bindings only, no circular proxies. */
    static Injector strictInjector(TaskPlugin plugin, TestingUpdateHost host)
    {
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
                        bind(HostPaths.class).toInstance(host.paths);
                        bind(JsonFiles.class).toInstance(host.jsonFiles);
                        bind(TextFiles.class).toInstance(new TestingTextFiles());
                        bind(LibvirtConnection.class).toInstance(host.libvirt);
                        bind(JobRunner.class).toInstance(host.jobs);
                        bind(JobHistory.class).toInstance(host.jobs);
                        bind(AuditLog.class).toInstance(host.audit);
                        bind(JobAccess.class).toInstance(host);
                        bind(Clock.class).toInstance(Clock.systemUTC());
                        // as the engine does: the health task fills it where it is installed
                        OptionalBinder.newOptionalBinder(binder(), Preflight.class);
                    }
                },
                plugin.module());
    }

    private static List<ProviderSettings> readProviders(String json)
            throws Exception
    {
        JavaType type = MAPPER.getTypeFactory().constructType(UpdateSettings.class.getRecordComponents()[0].getGenericType());
        return MAPPER.readerFor(type).readValue(json);
    }
}
