package io.hyperops.task.update;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.PreflightOperation;
import io.hyperops.spi.PreflightReport;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import jakarta.inject.Inject;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Before anything changes: the host's pre-flight (space, libvirt, memory) where the health task offers
 * it, health not ERROR, the gate's health job known, then a backup by the backup job (of the guests it selects). A backup
 * another process is running makes the requested one skipped, which refuses the update: the two must
 * not overlap.
 */
public final class UpdatePreflight
{
    private final Optional<Preflight> preflight;
    private final JobRunner jobs;
    private final JobHistory history;
    private final HealthGate gate;
    private final JobAccess access;

    @Inject
    public UpdatePreflight(Optional<Preflight> preflight, JobRunner jobs, JobHistory history, HealthGate gate, JobAccess access)
    {
        this.access = requireNonNull(access, "access is null");
        this.preflight = requireNonNull(preflight, "preflight is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.history = requireNonNull(history, "history is null");
        this.gate = requireNonNull(gate, "gate is null");
    }

    /** Every reason not to update, empty when the update may go ahead. */
    public List<String> problems(UpdateSettings settings)
    {
        List<String> problems = new ArrayList<>();
        preflight.ifPresent(checks -> {
            PreflightReport report = checks.check(new PreflightOperation.General());
            report.checks().stream()
                    .filter(check -> check.status() == CheckStatus.ERROR)
                    .forEach(check -> problems.add("pre-flight " + check.name() + ": " + check.message() + check.fix().map(fix -> " (" + fix + ")").orElse("")));
        });
        gate.overallHealth().filter("ERROR"::equals).ifPresent(status ->
                problems.add("the host's health is ERROR (" + HealthGate.HEALTH_FILE + "); fix that first, an update must start from a healthy host (hyperops run-job health)"));
        if (!settings.healthJob().isEmpty() && !history.jobNames().contains(settings.healthJob())) {
            problems.add("the health gate's job '" + settings.healthJob() + "' does not exist; install the health task or set health_job to \"\"");
        }
        return problems;
    }

    /** Backs up the guests through the backup job, as its own settings select them; the reason to refuse, if any. */
    public Optional<String> backup(UpdateSettings settings, Logger log)
            throws InterruptedException
    {
        // a job run by another job runs even when disabled; an admin who disabled backups did not ask for this one
        if (history.jobNames().contains(settings.backupJob()) && !access.enabled(settings.backupJob())) {
            if (!settings.requireBackup()) {
                log.warn("No backup before the update: job '{}' is disabled; require_backup is false", settings.backupJob());
                return Optional.empty();
            }
            return Optional.of("no backup before the update: job '" + settings.backupJob() + "' is disabled (\"enabled\": false); enable it, or set require_backup to false to update without one");
        }
        RunReport report;
        try {
            log.info("Backing up the guests with job '{}' (its own guest selection) before the update", settings.backupJob());
            report = jobs.runAndWait(settings.backupJob(), settings.backupTimeout());
        }
        catch (IllegalArgumentException e) {
            if (!settings.requireBackup()) {
                log.warn("No backup before the update: job '{}' cannot run ({}); require_backup is false", settings.backupJob(), e.getMessage());
                return Optional.empty();
            }
            return Optional.of("no backup before the update: job '" + settings.backupJob() + "' cannot run (" + e.getMessage()
                    + "); install the backup task, set backup_job, or set require_backup to false to update without one");
        }
        if (report.outcome() == RunOutcome.SUCCESS || report.outcome() == RunOutcome.WARNING) {
            log.info("Backup {} ended {}: {}", report.runId(), report.outcome().jsonName(), report.summary());
            return Optional.empty();
        }
        String reason = "the backup before the update (run " + report.runId() + ") ended " + report.outcome().jsonName() + ": " + report.summary();
        if (!settings.requireBackup()) {
            log.warn("{}; going on since require_backup is false", reason);
            return Optional.empty();
        }
        return Optional.of(reason);
    }
}
