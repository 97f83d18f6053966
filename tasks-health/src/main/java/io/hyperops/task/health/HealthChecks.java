package io.hyperops.task.health;

import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.task.health.check.ConfigChecks;
import io.hyperops.task.health.check.GuestChecks;
import io.hyperops.task.health.check.HealthCheck;
import io.hyperops.task.health.check.HostChecks;
import io.hyperops.task.health.check.NetworkChecks;
import io.hyperops.task.health.check.ServiceChecks;
import io.hyperops.task.health.check.StorageChecks;
import io.hyperops.task.health.recovery.RecoveryLedger;
import jakarta.inject.Inject;
import org.libvirt.LibvirtException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** Every check of one health run, in the seed's order, built with the run's settings and clock. */
final class HealthChecks
{
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final HostFiles host;
    private final HostPaths paths;
    private final JsonFiles jsonFiles;
    private final LibvirtConnection libvirt;
    private final JobHistory history;
    private final CommandRunner commands;
    private final EngineFacts engine;
    private final BackupCatalog backups;
    private final JobAccess jobs;

    @Inject
    HealthChecks(HostFiles host, HostPaths paths, JsonFiles jsonFiles, LibvirtConnection libvirt, JobHistory history, CommandRunner commands, BackupCatalog backups,
            EngineFacts engine, JobAccess jobs)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.host = requireNonNull(host, "host is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.history = requireNonNull(history, "history is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.backups = requireNonNull(backups, "backups is null");
    }

    List<HealthCheck> all(HealthSettings configured, Clock clock)
    {
        HealthSettings settings = configured.withConfigFileOr(engine.configFile());
        List<HealthCheck> checks = new ArrayList<>();
        checks.addAll(new HostChecks(host, paths, settings).checks());
        checks.addAll(new ServiceChecks(host, commands, libvirt, COMMAND_TIMEOUT).checks());
        checks.addAll(new NetworkChecks(host, settings).checks());
        checks.addAll(new StorageChecks(paths, libvirt, settings).checks());
        checks.addAll(new GuestChecks(new OnceGuests(libvirt), backups, () -> jobs.state(RecoveryLedger.JOB_NAME).read(RecoveryLedger.STATE_NAME, RecoveryLedger.class), settings, clock).checks());
        // the engine's verdict is on its own file; a config_file setting that names another one gets none
        Supplier<List<String>> refusedEdit = settings.configFile().toAbsolutePath().normalize().equals(engine.configFile().toAbsolutePath().normalize()) ? engine::refusedEdit : List::of;
        checks.addAll(new ConfigChecks(host, paths, jsonFiles, history, settings, clock, refusedEdit).checks());
        return checks;
    }

    /** Lists the guests once for all checks of a run, however many threads ask at once. */
    private static final class OnceGuests
            implements GuestChecks.GuestSource
    {
        private final LibvirtConnection libvirt;
        private List<Guest> guests;

        OnceGuests(LibvirtConnection libvirt)
        {
            this.libvirt = libvirt;
        }

        @Override
        public synchronized List<Guest> guests()
                throws LibvirtException
        {
            if (guests == null) {
                guests = GuestInventory.read(libvirt);
            }
            return guests;
        }
    }
}
