package io.hyperops.task.update;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What must hold after an update for it to stay: libvirtd answers, every guest that ran before runs
 * again, and the health checks pass (the health job ends neither failed nor worse, and
 * {@code health-status.json} is not ERROR). Tried again every {@code gate_interval} until the grace
 * period ends, since a restarted libvirtd and guests brought back by autostart take a moment.
 */
public final class HealthGate
{
    static final String HEALTH_FILE = "health-status.json";
    // VIR_CONNECT_LIST_DOMAINS_ACTIVE
    private static final int LIST_ACTIVE = 1;

    private final JobRunner jobs;
    private final LibvirtConnection libvirt;
    private final JsonFiles jsonFiles;
    private final HostPaths paths;

    @Inject
    public HealthGate(JobRunner jobs, LibvirtConnection libvirt, JsonFiles jsonFiles, HostPaths paths)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** The running guests' names; an {@link UpdateException} when libvirtd does not answer. */
    public Set<String> runningGuests()
            throws UpdateException
    {
        try {
            return libvirt.call(connect -> {
                // One call for the running domains and their handles: looking ids up one by one races
                // with guests that stop in between, which on a busy host is not an error.
                Domain[] domains = connect.listAllDomains(LIST_ACTIVE);
                Set<String> names = new TreeSet<>();
                try {
                    for (Domain domain : domains) {
                        names.add(domain.getName());
                    }
                }
                finally {
                    for (Domain domain : domains) {
                        domain.free();
                    }
                }
                return names;
            });
        }
        catch (LibvirtUnavailableException e) {
            throw new UpdateException("libvirtd does not answer on " + libvirt.uri() + ": " + e.getMessage());
        }
        catch (LibvirtException e) {
            throw new UpdateException("listing the running guests on " + libvirt.uri() + " failed: " + e.getMessage());
        }
    }

    /** Waits for the gate to pass; returns the problems of the last attempt, empty when it passed. */
    public List<String> await(UpdateSettings settings, Set<String> guestsBefore, Logger log)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + settings.gracePeriod().toNanos();
        int attempt = 1;
        while (true) {
            List<String> problems = attempt(settings, guestsBefore);
            if (problems.isEmpty()) {
                log.info("Health gate passed (attempt {})", attempt);
                return problems;
            }
            long left = deadline - System.nanoTime();
            if (left <= settings.gateInterval().toNanos()) {
                log.warn("Health gate failed after {} attempt(s): {}", attempt, String.join("; ", problems));
                return problems;
            }
            log.info("Health gate not yet passed (attempt {}): {}; trying again in {}", attempt, String.join("; ", problems), settings.gateInterval());
            Thread.sleep(settings.gateInterval().toMillis());
            attempt++;
        }
    }

    List<String> attempt(UpdateSettings settings, Set<String> guestsBefore)
            throws InterruptedException
    {
        List<String> problems = new ArrayList<>();
        try {
            Set<String> missing = new TreeSet<>(guestsBefore);
            missing.removeAll(runningGuests());
            if (!missing.isEmpty()) {
                problems.add("guests that ran before the update do not run: " + String.join(", ", missing));
            }
        }
        catch (UpdateException e) {
            problems.add(e.getMessage());
        }
        if (!settings.healthJob().isEmpty()) {
            problems.addAll(healthProblems(settings));
        }
        return problems;
    }

    private List<String> healthProblems(UpdateSettings settings)
            throws InterruptedException
    {
        RunReport report;
        try {
            report = jobs.runAndWait(settings.healthJob(), Duration.ofMinutes(30));
        }
        catch (IllegalArgumentException e) {
            return List.of("health job '" + settings.healthJob() + "' cannot run: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (report.outcome() != RunOutcome.SUCCESS && report.outcome() != RunOutcome.WARNING) {
            problems.add("health job '" + settings.healthJob() + "' ended " + report.outcome().jsonName() + ": " + report.summary());
        }
        overallHealth().filter("ERROR"::equals).ifPresent(status -> problems.add(HEALTH_FILE + " says overall_status ERROR"));
        return problems;
    }

    /** {@code overall_status} of {@code <data_dir>/health-status.json}, if there is one. */
    public Optional<String> overallHealth()
    {
        Path file = paths.dataDir().resolve(HEALTH_FILE);
        return jsonFiles.read(file, Map.class).map(status -> status.get("overall_status")).map(String::valueOf);
    }
}
