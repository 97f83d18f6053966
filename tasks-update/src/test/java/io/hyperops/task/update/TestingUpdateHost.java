package io.hyperops.task.update;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.StateStore;
import io.hyperops.spi.Trigger;
import io.hyperops.testing.TestingFileStateStore;
import io.hyperops.testing.TestingJsonFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The update task's surroundings in a test folder: the engine's JSON files and state laid out as on a
 * host, the audit log, jobs the test defines (backup, health) and a libvirt connection. Builds the
 * same {@link UpdateService} the jobs and the command use.
 */
final class TestingUpdateHost
        implements JobAccess
{
    /** Jobs the test has set {@code "enabled": false}. */
    final java.util.Set<String> disabled = new java.util.HashSet<>();
    final Path folder;
    final HostPaths paths;
    final TestingJsonFiles jsonFiles = new TestingJsonFiles();
    final TestingAuditLog audit = new TestingAuditLog();
    final TestingJobRunner jobs = new TestingJobRunner();
    final TestingLibvirtConnection libvirt;
    private final Map<String, Record> settings = new ConcurrentHashMap<>();
    private Optional<Preflight> preflight = Optional.empty();

    TestingUpdateHost(Path folder, TestingLibvirtConnection libvirt)
    {
        this.folder = requireNonNull(folder, "folder is null");
        this.paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
    }

    TestingUpdateHost settings(UpdateSettings update)
    {
        settings.put(UpdatePlugin.UPDATE_JOB, update);
        return this;
    }

    TestingUpdateHost preflight(Preflight checks)
    {
        this.preflight = Optional.of(checks);
        return this;
    }

    UpdateService service()
    {
        HealthGate gate = new HealthGate(jobs, libvirt, jsonFiles, paths);
        // a new service per call, as after a daemon restart; the programs' folders are the host's
        ProcessCommandRunner runner = new ProcessCommandRunner(paths.stateDir().resolve("update-commands"), Optional.empty());
        return new UpdateService(new Providers(runner), new UpdateChecker(jsonFiles, paths),
                new UpdatePreflight(preflight, jobs, jobs, gate, this), gate, this, new UpdateStateStore(this), audit, paths, runner);
    }

    RunContext run(String job, Record jobSettings, Trigger trigger)
    {
        return new TestingRun(job, jobSettings, Clock.systemUTC(), trigger);
    }

    UpdateStatus status()
    {
        return jsonFiles.read(paths.dataDir().resolve(UpdateStatus.FILE), UpdateStatus.class).orElseThrow();
    }

    UpdateState state()
    {
        return state(UpdatePlugin.UPDATE_JOB).read(UpdateState.NAME, UpdateState.class).orElseThrow();
    }

    void writeHealth(String overallStatus)
            throws IOException
    {
        Files.createDirectories(paths.dataDir());
        jsonFiles.write(paths.dataDir().resolve(HealthGate.HEALTH_FILE), Map.of("overall_status", overallStatus, "checks", Map.of()));
    }

    /**
     * Settings with fast gate timings: these providers, a 300 ms grace period tried every 100 ms. Short,
     * as a failing gate waits all of it; a gate that must try again needs {@linkplain #settings(List, boolean, Duration) a longer one}.
     */
    static UpdateSettings settings(List<ProviderSettings> providers, boolean requireBackup)
    {
        return settings(providers, requireBackup, Duration.ofMillis(300));
    }

    /** Tried again only if an attempt ends a gate interval (100 ms) before the grace period does. */
    static UpdateSettings settings(List<ProviderSettings> providers, boolean requireBackup, Duration gracePeriod)
    {
        return new UpdateSettings(providers, null, requireBackup, null, null, gracePeriod, Duration.ofMillis(100), null);
    }

    /**
     * A command provider whose apply and rollback append a line to {@code log}; rollback also notes the
     * config repository's HEAD. Its check finds an update until the log shows it applied.
     */
    static ProviderSettings.Command loggingCommand(String name, Path log, Path configRepository)
    {
        return new ProviderSettings.Command(name,
                List.of("sh", "-c", "grep -qx 'apply " + name + "' '" + log + "' && exit 1 || exit 0"),
                List.of("sh", "-c", "echo 'apply " + name + "' >> '" + log + "'"),
                List.of("sh", "-c", "echo \"rollback " + name + " $(git -C '" + configRepository + "' rev-parse HEAD)\" >> '" + log + "'"),
                null, Duration.ofSeconds(30), null);
    }

    static List<String> lines(Path log)
            throws IOException
    {
        return Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
    }

    @Override
    public <T extends Record> T settings(String jobName, Class<T> type)
    {
        Record value = settings.get(jobName);
        if (value == null) {
            throw new IllegalArgumentException("no settings given for job '" + jobName + "'");
        }
        return type.cast(value);
    }

    @Override
    public StateStore state(String jobName)
    {
        return new TestingFileStateStore(paths.stateDir(), jobName);
    }

    @Override
    public boolean enabled(String jobName)
    {
        return !disabled.contains(jobName);
    }
}
