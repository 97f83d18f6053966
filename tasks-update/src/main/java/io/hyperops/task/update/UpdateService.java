package io.hyperops.task.update;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The update's three runs, shared by the jobs and {@code hyperops update}: check, apply with its gate
 * and automatic rollback, and a rollback asked for by hand. Every apply and rollback is kept in the
 * {@code update} job's state, in {@code update-status.json} and in the audit log.
 */
public final class UpdateService
{
    private static final Logger LOG = LoggerFactory.getLogger(UpdateService.class);

    private final Path lockFile;
    private final Providers providers;
    private final UpdateChecker checker;
    private final UpdatePreflight preflight;
    private final HealthGate gate;
    private final JobAccess jobs;
    private final UpdateStateStore state;
    private final AuditLog audit;
    private final CommandRunner runner;

    @Inject
    public UpdateService(Providers providers, UpdateChecker checker, UpdatePreflight preflight, HealthGate gate, JobAccess jobs, UpdateStateStore state, AuditLog audit,
            HostPaths paths, CommandRunner runner)
    {
        this.runner = requireNonNull(runner, "runner is null");
        this.lockFile = requireNonNull(paths, "paths is null").stateDir().resolve("update-apply.lock");
        this.providers = requireNonNull(providers, "providers is null");
        this.checker = requireNonNull(checker, "checker is null");
        this.preflight = requireNonNull(preflight, "preflight is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.state = requireNonNull(state, "state is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    public JobResult check(UpdateCheckSettings checkSettings, RunContext context)
            throws InterruptedException
    {
        if (context.trigger() == Trigger.SCHEDULE || context.trigger() == Trigger.CATCH_UP) {
            Optional<Instant> last = lastCheck(context.log());
            if (last.isPresent() && Duration.between(last.get(), context.clock().instant()).compareTo(checkSettings.minInterval()) < 0) {
                return JobResult.success("skipped: the last check (" + last.get() + ") is younger than min_interval " + checkSettings.minInterval(), Map.of("skipped", true));
            }
        }
        UpdateSettings settings = jobs.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class);
        UpdateChecker.Checks checks = checker.check(providers.create(settings.providers()), context.log());
        UpdateStatus status = checker.write(checks, state.read().lastChange(), context.clock());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", checker.file().toString());
        details.put("updates_available", status.updatesAvailable());
        details.put("providers", checks.checks().stream().map(check -> check.provider() + ": " + check.summary()).toList());
        List<String> answers = checks.checks().stream().map(check -> check.provider() + " " + check.summary()).toList();
        // "up to date" only for what answered: a check that failed says nothing about updates
        String summary = answers.isEmpty() ? "" : (status.updatesAvailable() ? "updates available: " : "up to date: ") + String.join("; ", answers);
        if (!checks.problems().isEmpty()) {
            details.put("problems", checks.problems());
            return JobResult.failed((summary.isEmpty() ? "" : summary + "; ") + "check failed: " + String.join("; ", checks.problems()), details);
        }
        if (!checks.blocked().isEmpty()) {
            details.put("blocked", checks.blocked());
            return JobResult.warning(summary + "; blocked: " + String.join("; ", checks.blocked()), details);
        }
        return JobResult.success(summary, details);
    }

    /** When the last check ran; an unreadable status file counts as none, so this check replaces it. */
    private Optional<Instant> lastCheck(Logger log)
    {
        try {
            return checker.read().map(status -> OffsetDateTime.parse(status.lastCheck()).toInstant());
        }
        catch (IllegalStateException | UncheckedIOException | DateTimeParseException e) {
            log.warn("{} cannot be read ({}); checking now and writing it anew", checker.file(), e.getMessage());
            return Optional.empty();
        }
    }

    public JobResult apply(UpdateSettings settings, RunContext context)
            throws InterruptedException
    {
        return locked(context, () -> applyLocked(settings, context));
    }

    public JobResult rollback(UpdateSettings settings, RunContext context)
            throws InterruptedException
    {
        return locked(context, () -> rollbackLocked(settings, context));
    }

    private interface LockedRun
    {
        JobResult run()
                throws InterruptedException;
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    private JobResult locked(RunContext context, LockedRun run)
            throws InterruptedException
    {
        Optional<UpdateLock> lock;
        try {
            lock = UpdateLock.tryAcquire(lockFile);
        }
        catch (IOException e) {
            return JobResult.failed("cannot take the update lock " + lockFile + ": " + e.getMessage(), Map.of());
        }
        if (lock.isEmpty()) {
            return JobResult.failed("another update or rollback is running; wait for it (hyperops jobs) and try again", Map.of());
        }
        try (UpdateLock held = lock.get()) {
            return run.run();
        }
        catch (IOException e) {
            context.log().warn("Releasing the update lock {}: {}", lockFile, e.getMessage());
            return JobResult.failed("the update lock " + lockFile + " could not be released: " + e.getMessage(), Map.of());
        }
    }

    private JobResult applyLocked(UpdateSettings settings, RunContext context)
            throws InterruptedException
    {
        Optional<UpdateRecord> cutOff = state.read().cutOff();
        if (cutOff.isPresent()) {
            return resume(settings, context, cutOff.get());
        }
        Logger log = context.log();
        Instant started = context.clock().instant();
        List<UpdateProvider> all = providers.create(settings.providers());
        UpdateChecker.Checks checks = checker.check(all, log);
        List<String> refusals = new ArrayList<>(checks.problems());
        refusals.addAll(checks.blocked());
        if (refusals.isEmpty() && !checks.updatesAvailable()) {
            return finish(settings, context, record(context, "apply", started, UpdateRecord.UP_TO_DATE, "nothing to update", List.of(), List.of(), List.of()), checks);
        }
        state.read().unresolved().ifPresent(record -> refusals.add("the update of run " + record.runId() + " ended " + record.outcome()
                + " and is not resolved: roll it back (hyperops update rollback) or repair the host by hand and record it with a rollback"));
        if (refusals.isEmpty()) {
            refusals.addAll(preflight.problems(settings));
        }
        Set<String> guestsBefore = Set.of();
        if (refusals.isEmpty()) {
            try {
                guestsBefore = gate.runningGuests();
            }
            catch (UpdateException e) {
                refusals.add(e.getMessage() + "; the health gate could not judge the update");
            }
        }
        if (refusals.isEmpty()) {
            preflight.backup(settings, log).ifPresent(refusals::add);
        }
        if (!refusals.isEmpty()) {
            return finish(settings, context, record(context, "apply", started, UpdateRecord.REFUSED, "update refused: " + String.join("; ", refusals), List.of(), List.of(), refusals), checks);
        }

        List<AppliedStep> applied = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        LeftRunningException leftRunning = null;
        boolean interruptedApplying = false;
        for (UpdateProvider provider : all) {
            Optional<ProviderCheck> check = checks.checks().stream().filter(candidate -> candidate.provider().equals(provider.name())).findFirst();
            if (!applied.isEmpty() && check.isPresent()) {
                // What an earlier provider changed can be this one's update: the config repository git just
                // fast-forwarded is what nixos builds. Checked before that, nixos saw nothing to do.
                try {
                    check = Optional.of(provider.check());
                }
                catch (UpdateException | IOException e) {
                    problems.add(provider.name() + ": check after " + String.join(", ", names(applied)) + " failed: " + e.getMessage());
                    break;
                }
                catch (InterruptedException e) {
                    interruptedApplying = true;
                    problems.add(provider.name() + ": interrupted while checking");
                    break;
                }
            }
            if (check.isEmpty() || !(check.get().updatesAvailable() || check.get().appliedWithOthers())) {
                continue;
            }
            Optional<AppliedStep> planned = Optional.empty();
            try {
                context.checkCancelled();
                // On record before the step starts, with what its rollback needs: a daemon that dies inside
                // it (a switch that restarts hyperops itself) leaves an "applying" update that the next one
                // will not start on top of, and that a rollback undoes whole.
                planned = provider.planned(check.get());
                List<AppliedStep> onRecord = new ArrayList<>(applied);
                planned.ifPresent(onRecord::add);
                save(settings, record(context, "apply", started, UpdateRecord.APPLYING, "applying " + provider.name(), onRecord, List.of(), List.of(), guestsBefore));
                log.info("Applying {}", provider.name());
                applied.add(provider.apply(check.get()));
                // Written after every step, so a crash mid-update leaves the steps to roll back on record.
                save(settings, record(context, "apply", started, UpdateRecord.APPLYING, "applying", applied, List.of(), List.of(), guestsBefore));
            }
            catch (UpdateException e) {
                e.partlyApplied().ifPresent(applied::add);
                problems.add(provider.name() + ": apply failed: " + e.getMessage());
                break;
            }
            catch (IOException e) {
                problems.add(provider.name() + ": apply failed: " + e.getMessage());
                break;
            }
            catch (LeftRunningException e) {
                // Still changing the host: neither a health gate nor a rollback can run on top of it now.
                planned.ifPresent(applied::add);
                leftRunning = e;
                problems.add(provider.name() + ": the run was stopped while it applied; " + e.getMessage());
                break;
            }
            catch (InterruptedException e) {
                // a check or a plain command stopped: rolled back below, then the interrupt goes on
                interruptedApplying = true;
                problems.add(provider.name() + ": interrupted while applying");
                break;
            }
        }
        if (leftRunning != null) {
            problems.add("the next update run (at the daemon's next start, by its schedule or by hand) waits for it to finish,"
                    + " then keeps the update if the health gate passes and rolls it back if not");
            save(settings, record(context, "apply", started, UpdateRecord.APPLYING, "stopped while applying " + String.join(", ", names(applied)), applied, List.of(), problems, guestsBefore));
            log.error("Update stopped while a step still runs: {}", String.join("; ", problems));
            Thread.currentThread().interrupt();
            return JobResult.failed("stopped while applying; " + String.join("; ", problems), Map.of("outcome", UpdateRecord.APPLYING, "problems", problems));
        }
        boolean interrupted = false;
        if (problems.isEmpty()) {
            try {
                problems.addAll(gate.await(settings, guestsBefore, log));
            }
            catch (InterruptedException e) {
                // A time-out or shutdown mid-gate leaves the update unproven: undo it before stopping.
                interrupted = true;
                problems.add("interrupted during the health gate (time-out or shutdown)");
            }
        }
        if (problems.isEmpty()) {
            String summary = "applied " + String.join(", ", applied.stream().map(AppliedStep::summary).toList()) + "; the health gate passed";
            audit.record(new AuditEvent("update.apply", "host", "success", Map.of("run_id", context.runId(), "providers", names(applied))));
            return finish(settings, context, record(context, "apply", started, UpdateRecord.APPLIED, summary, applied, List.of(), List.of()), null);
        }
        JobResult result = rollBack(settings, context, started, applied, problems, "automatic");
        if (interrupted || interruptedApplying) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /**
     * Finishes an update the daemon was stopped or killed in (a self-upgrade restarts it; a host can go
     * down): waits for the step it left running, then keeps the update if that step ended well and the
     * health gate passes, and rolls back what is on record otherwise. An update whose last step is not
     * known to have finished is rolled back: the rollback of every step copes with a step that changed
     * nothing or only part ({@link UpdateProvider#planned}).
     */
    private JobResult resume(UpdateSettings settings, RunContext context, UpdateRecord cut)
            throws InterruptedException
    {
        Logger log = context.log();
        Instant started = context.clock().instant();
        if (cut.outcome().equals(UpdateRecord.ROLLING_BACK)) {
            return resumeRollback(settings, context, cut);
        }
        String cause = "the update of run " + cut.runId() + " was cut off while applying " + String.join(", ", names(cut.applied()));
        log.warn("{} (the daemon stopped or died during it); finishing it before anything else", cause);
        List<CommandRunner.Result> ended;
        try {
            ended = runner.awaitLeftRunning(step -> log.info("Waiting for {}, left running by run {}", step, cut.runId()));
        }
        catch (IOException e) {
            return JobResult.failed(cause + "; the programs it left running cannot be read (" + e.getMessage() + "), so it stays unresolved", Map.of());
        }
        List<String> problems = new ArrayList<>();
        ended.stream().filter(result -> !result.succeeded()).forEach(result -> problems.add(result.describe()));
        if (ended.isEmpty()) {
            problems.add("it left no program running, so whether its last step finished is not known");
        }
        boolean interrupted = false;
        boolean stepEndedWell = problems.isEmpty();
        if (stepEndedWell) {
            try {
                problems.addAll(gate.await(settings, Set.copyOf(cut.guestsBefore()), log));
            }
            catch (InterruptedException e) {
                interrupted = true;
                problems.add("interrupted during the health gate (time-out or shutdown)");
            }
            if (problems.isEmpty()) {
                String summary = "finished the update of run " + cut.runId() + ", cut off while applying: "
                        + String.join("; ", ended.stream().map(result -> "'" + String.join(" ", result.command()) + "' ended well").toList()) + "; the health gate passed";
                audit.record(new AuditEvent("update.apply", "host", "success", Map.of("run_id", context.runId(), "resumed_run_id", cut.runId(), "providers", names(cut.applied()))));
                JobResult kept = finish(settings, context, record(context, "apply", started, UpdateRecord.APPLIED, summary, cut.applied(), List.of(), List.of()), null);
                forgetLeftRunning(context);
                return kept;
            }
        }
        problems.add(0, cause);
        List<AppliedStep> steps = new ArrayList<>(cut.applied());
        dropPartial(steps, stepEndedWell, problems);
        JobResult result = rollBack(settings, context, started, steps, problems, "automatic");
        forgetLeftRunning(context);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /** Finishes a rollback a run was stopped or killed in: the steps it had not rolled back yet. */
    private JobResult resumeRollback(UpdateSettings settings, RunContext context, UpdateRecord cut)
            throws InterruptedException
    {
        Logger log = context.log();
        String cause = "the rollback of run " + cut.runId() + " was cut off";
        log.warn("{} (the daemon stopped or died during it); finishing it before anything else", cause);
        try {
            for (CommandRunner.Result ended : runner.awaitLeftRunning(step -> log.info("Waiting for {}, left running by run {}", step, cut.runId()))) {
                log.info("It ended: {}", ended.describe());
            }
        }
        catch (IOException e) {
            return JobResult.failed(cause + "; the programs it left running cannot be read (" + e.getMessage() + "), so it stays unresolved", Map.of());
        }
        List<AppliedStep> left = cut.applied().stream().filter(step -> !cut.rolledBack().contains(step.provider())).toList();
        List<String> problems = new ArrayList<>(List.of(cause));
        problems.addAll(cut.problems());
        JobResult result = rollBack(settings, context, context.clock().instant(), left, problems, cut.action().equals("rollback") ? "manual" : "automatic");
        forgetLeftRunning(context);
        return result;
    }

    private JobResult rollbackLocked(UpdateSettings settings, RunContext context)
            throws InterruptedException
    {
        // a rollback on top of a step still running (dpkg holding its lock, a switch) would fail or worse
        List<CommandRunner.Result> ended;
        try {
            ended = runner.awaitLeftRunning(step -> context.log().info("Waiting for {}, left running by an earlier update, before rolling back", step));
            ended.forEach(result -> context.log().info("It ended: {}", result.describe()));
        }
        catch (IOException e) {
            return JobResult.failed("cannot read the programs an earlier update left running: " + e.getMessage(), Map.of());
        }
        Optional<UpdateRecord> last = state.read().lastApplied()
                .or(() -> state.read().unresolved().filter(record -> record.outcome().equals(UpdateRecord.ROLLBACK_FAILED) || record.outcome().equals(UpdateRecord.ROLLING_BACK)));
        if (last.isEmpty()) {
            String reason = state.read().lastChange().map(record -> "the last update (run " + record.runId() + ") ended " + record.outcome()).orElse("no update was applied yet");
            return JobResult.failed("nothing to roll back: " + reason, Map.of());
        }
        // after a failed rollback, only what it did not undo: a step rolled back twice (nixos) would go one generation too far
        List<AppliedStep> steps = new ArrayList<>(last.get().applied().stream().filter(step -> !last.get().rolledBack().contains(step.provider())).toList());
        List<String> causes = new ArrayList<>(List.of("asked for by hand, rolling back run " + last.get().runId()));
        boolean stepEndedWell = !ended.isEmpty() && ended.stream().allMatch(CommandRunner.Result::succeeded);
        if (last.get().outcome().equals(UpdateRecord.APPLYING)) {
            dropPartial(steps, stepEndedWell, causes);
        }
        JobResult result = rollBack(settings, context, context.clock().instant(), steps, causes, "manual");
        forgetLeftRunning(context);
        return result;
    }

    /**
     * The step cut off last, whose provider cannot undo a partial apply (a command without
     * rollback_failed_apply), and which did not end well: what it changed is for a person.
     */
    private static void dropPartial(List<AppliedStep> steps, boolean stepEndedWell, List<String> problems)
    {
        if (!stepEndedWell && !steps.isEmpty() && !AppliedStep.undoesPartial(steps.get(steps.size() - 1))) {
            AppliedStep partial = steps.remove(steps.size() - 1);
            problems.add(partial.provider() + ": what its cut-off apply changed stays (it cannot be rolled back half-way): check the host");
        }
    }

    /** Once the run that judged them is on record: until then, a run killed meanwhile finds them again. */
    private void forgetLeftRunning(RunContext context)
    {
        try {
            runner.forgetLeftRunning();
        }
        catch (IOException e) {
            context.log().warn("The folders of programs left running could not be removed: {}", e.getMessage());
        }
    }

    private JobResult rollBack(UpdateSettings settings, RunContext context, Instant started, List<AppliedStep> applied, List<String> causes, String kind)
            throws InterruptedException
    {
        Logger log = context.log();
        List<String> problems = new ArrayList<>(causes);
        List<String> rolledBack = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, UpdateProvider> byName = new LinkedHashMap<>();
        providers.create(settings.providers()).forEach(provider -> byName.put(provider.name(), provider));
        String action = kind.equals("manual") ? "rollback" : "apply";
        for (int index = applied.size() - 1; index >= 0; index--) {
            AppliedStep step = applied.get(index);
            UpdateProvider provider = byName.get(step.provider());
            // on record before each step: a run stopped or killed inside the rollback leaves it for the next run to finish
            save(settings, record(context, action, started, UpdateRecord.ROLLING_BACK, "rolling back (" + kind + ") " + step.provider(), applied, rolledBack, problems));
            try {
                if (provider == null) {
                    throw new UpdateException("provider '" + step.provider() + "' is no longer configured; roll back '" + step.summary() + "' by hand");
                }
                log.warn("Rolling back {} ({})", step.provider(), kind);
                provider.rollback(step);
                rolledBack.add(step.provider());
            }
            catch (UpdateException | IOException e) {
                failed.add(step.provider());
                problems.add(step.provider() + ": rollback failed: " + e.getMessage());
            }
            catch (InterruptedException e) {
                // Stopped (a time-out, a shutdown): what is undone so far is on record, and the next update
                // run (the daemon starts one at its start) finishes the rest; then the interrupt goes on.
                List<String> notYet = new ArrayList<>();
                for (int left = index; left >= 0; left--) {
                    notYet.add(applied.get(left).provider());
                }
                problems.add(step.provider() + ": rollback stopped (" + e.getMessage() + "); not rolled back yet: " + String.join(", ", notYet)
                        + "; the next update run finishes the rollback");
                UpdateRecord record = record(context, action, started, UpdateRecord.ROLLING_BACK, "stopped while rolling back (" + kind + "); rolled back "
                        + (rolledBack.isEmpty() ? "nothing" : String.join(", ", rolledBack)) + " so far: " + String.join("; ", problems), applied, rolledBack, problems);
                save(settings, record);
                audit.record(new AuditEvent("update.rollback", "host", "stopped", Map.of("run_id", context.runId(), "kind", kind, "rolled_back", rolledBack, "not_yet", notYet)));
                Thread.currentThread().interrupt();
                return JobResult.failed(record.summary(), Map.of("outcome", record.outcome(), "rolled_back", rolledBack, "problems", problems));
            }
        }
        String outcome = failed.isEmpty() ? UpdateRecord.ROLLED_BACK : UpdateRecord.ROLLBACK_FAILED;
        String summary = (failed.isEmpty() ? "rolled back (" + kind + ") " : "rollback (" + kind + ") FAILED for " + String.join(", ", failed) + ", rolled back ")
                + (rolledBack.isEmpty() ? "nothing" : String.join(", ", rolledBack)) + " in reverse order: " + String.join("; ", problems);
        Map<String, Object> auditDetails = new LinkedHashMap<>();
        auditDetails.put("run_id", context.runId());
        auditDetails.put("kind", kind);
        auditDetails.put("rolled_back", rolledBack);
        auditDetails.put("failed", failed);
        auditDetails.put("reasons", problems);
        audit.record(new AuditEvent("update.rollback", "host", failed.isEmpty() ? "success" : "failed", auditDetails));
        return finish(settings, context, record(context, action, started, outcome, summary, applied, rolledBack, problems), null);
    }

    /** Records the run in state and in update-status.json (checked again, so the file shows where things now stand). */
    private JobResult finish(UpdateSettings settings, RunContext context, UpdateRecord record, UpdateChecker.Checks checks)
            throws InterruptedException
    {
        save(settings, record);
        UpdateChecker.Checks now = checks != null ? checks : checker.check(providers.create(settings.providers()), context.log());
        // the last change, not this run: an up-to-date check after a failed rollback must not hide it from health
        checker.write(now, state.read().lastChange().or(() -> Optional.of(record)), context.clock());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("outcome", record.outcome());
        details.put("applied", names(record.applied()));
        details.put("rolled_back", record.rolledBack());
        details.put("problems", record.problems());
        return switch (record.outcome()) {
            case UpdateRecord.APPLIED, UpdateRecord.UP_TO_DATE -> JobResult.success(record.summary(), details);
            case UpdateRecord.ROLLED_BACK -> record.action().equals("rollback") ? JobResult.success(record.summary(), details) : JobResult.failed(record.summary(), details);
            default -> JobResult.failed(record.summary(), details);
        };
    }

    private UpdateRecord record(RunContext context, String action, Instant started, String outcome, String summary, List<AppliedStep> applied, List<String> rolledBack, List<String> problems)
    {
        return record(context, action, started, outcome, summary, applied, rolledBack, problems, Set.of());
    }

    private UpdateRecord record(RunContext context, String action, Instant started, String outcome, String summary, List<AppliedStep> applied, List<String> rolledBack, List<String> problems,
            Set<String> guestsBefore)
    {
        Instant finished = outcome.equals(UpdateRecord.APPLYING) || outcome.equals(UpdateRecord.ROLLING_BACK) ? null : context.clock().instant();
        return new UpdateRecord(context.runId(), action, started, finished, outcome, summary, applied, rolledBack, problems, guestsBefore.stream().sorted().toList());
    }

    private void save(UpdateSettings settings, UpdateRecord record)
    {
        state.save(record, settings.historySize());
        try {
            checker.recordLastUpdate(state.read().lastChange());
        }
        catch (RuntimeException e) {
            // the state file holds the record; the status file catches up at the run's end or the next check
            LOG.warn("update-status.json could not take the update's progress: {}", e.getMessage());
        }
    }

    private static List<String> names(List<AppliedStep> steps)
    {
        return steps.stream().map(AppliedStep::provider).toList();
    }
}
