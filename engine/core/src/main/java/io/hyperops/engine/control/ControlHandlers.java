package io.hyperops.engine.control;

import io.hyperops.engine.DaemonState;
import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.cli.VersionProvider;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.logging.RunLogs;
import io.hyperops.engine.run.ActiveRun;
import io.hyperops.engine.run.JobSummary;
import io.hyperops.engine.run.RunThreads;
import io.hyperops.engine.run.RunCoordinator;
import io.hyperops.engine.run.RunExecutor;
import io.hyperops.engine.run.RunHistory;
import io.hyperops.engine.run.RunRecord;
import io.hyperops.engine.scheduler.ConfigWatcher;
import io.hyperops.engine.scheduler.JobScheduler;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.Permission;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import jakarta.inject.Inject;
import org.quartz.SchedulerException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/** What the daemon does for each control request, after the caller's role was checked against it. */
final class ControlHandlers
{
    private final CurrentConfig config;
    private final ConfigLoader loader;
    private final ConfigWatcher watcher;
    private final JobScheduler scheduler;
    private final RunExecutor executor;
    private final RunCoordinator coordinator;
    private final RunHistory history;
    private final RunThreads runThreads;
    private final DaemonState daemon;
    private final TaskCommands tasks;

    @Inject
    ControlHandlers(CurrentConfig config, ConfigLoader loader, ConfigWatcher watcher, JobScheduler scheduler, RunExecutor executor,
            RunCoordinator coordinator, RunHistory history, RunThreads runThreads, DaemonState daemon, TaskCommands tasks)
    {
        this.tasks = requireNonNull(tasks, "tasks is null");
        this.config = requireNonNull(config, "config is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.watcher = requireNonNull(watcher, "watcher is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.history = requireNonNull(history, "history is null");
        this.runThreads = requireNonNull(runThreads, "runThreads is null");
        this.daemon = requireNonNull(daemon, "daemon is null");
    }

    /** The permission a request needs; {@code run-job} depends on the job. */
    Permission permission(ControlRequest request)
    {
        return switch (request.command()) {
            case "run-job" -> config.get().engine().operatorJobs().contains(request.text("job")) ? Permission.RUN_OPERATOR_JOB : Permission.RUN_ANY_JOB;
            case "config-reload" -> Permission.CONFIG_RELOAD;
            case "pause", "resume" -> Permission.PAUSE_RESUME;
            case "task" -> Permission.TASK_COMMAND;
            default -> Permission.READ;
        };
    }

    void handle(ControlRequest request, Responder responder)
            throws IOException, InterruptedException
    {
        switch (request.command()) {
            case "status" -> responder.result(ExitCodes.SUCCESS, status());
            case "jobs" -> responder.result(ExitCodes.SUCCESS, jobs());
            case "history" -> responder.result(ExitCodes.SUCCESS, history.list(Optional.ofNullable(request.text("job")), request.number("limit", 20)));
            case "run-job" -> runJob(request, responder);
            case "logs" -> logs(request, responder);
            case "config-check" -> configCheck(responder);
            case "config-reload" -> configReload(responder);
            case "pause", "resume" -> pauseOrResume(request, responder);
            case "task" -> tasks.run(request, responder);
            default -> responder.error(ExitCodes.USAGE, "unknown command '" + request.command() + "'"
                    + Suggestions.didYouMean(request.command(), List.of("status", "jobs", "history", "run-job", "logs", "config-check", "config-reload", "pause", "resume", "task")));
        }
    }

    private Map<String, Object> status()
    {
        EngineConfig current = config.get();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", VersionProvider.version());
        status.put("pid", ProcessHandle.current().pid());
        status.put("up_since", daemon.upSince().map(Instant::toString).orElse(null));
        status.put("config_file", current.file().toString());
        status.put("last_reload", config.lastReload().orElse(null));
        List<Map<String, Object>> running = new ArrayList<>();
        for (ActiveRun run : coordinator.active()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("run_id", run.runId());
            entry.put("job", run.job());
            entry.put("start", run.start().toString());
            entry.put("progress", run.context().lastProgress().orElse(null));
            entry.put("trigger_queued", coordinator.queued(run.job()));
            running.add(entry);
        }
        status.put("running", running);
        status.put("paused", scheduler.paused());
        status.put("recent_failures", history.list(Optional.empty(), 200).stream()
                .filter(record -> record.outcome().map(outcome -> outcome == RunOutcome.FAILED || outcome == RunOutcome.TIMED_OUT).orElse(false))
                .limit(5)
                .toList());
        return status;
    }

    private List<JobSummary> jobs()
    {
        Set<String> paused = scheduler.paused();
        return config.get().jobs().values().stream()
                .map(job -> JobSummary.of(config.get(), job, history, scheduler.nextFire(job.name()), paused.contains(job.name())))
                .toList();
    }

    private void runJob(ControlRequest request, Responder responder)
            throws IOException, InterruptedException
    {
        String job = request.text("job");
        if (job == null || config.get().job(job).isEmpty()) {
            responder.error(ExitCodes.USAGE, "no job named '" + job + "'" + Suggestions.didYouMean(String.valueOf(job), config.get().jobs().keySet()));
            return;
        }
        RunExecutor.Submission submission = executor.submit(job, Trigger.MANUAL, runThreads);
        Map<String, Object> submitted = new LinkedHashMap<>();
        submitted.put("run_id", submission.runId());
        submitted.put("state", submission.admission().state().name().toLowerCase(java.util.Locale.ROOT));
        submitted.put("reason", submission.admission().reason());
        responder.event("submitted", submitted);
        if (submission.admission().state() == RunCoordinator.Admission.State.SKIPPED) {
            responder.result(ExitCodes.ALREADY_RUNNING, submission.result().join());
            return;
        }
        if (request.flag("follow")) {
            Path file = RunLogs.runLogFile(config.get().engine().logDir(), job, submission.runId());
            LogTail tail = new LogTail(file);
            tail.pump(line -> responder.event("log", line), true, () -> !submission.result().isDone());
        }
        if (request.flag("wait") || request.flag("follow")) {
            RunRecord record = finished(submission);
            responder.result(record.outcome().orElse(RunOutcome.INTERRUPTED).exitCode(), record);
            return;
        }
        responder.result(ExitCodes.SUCCESS, submitted);
    }

    private static RunRecord finished(RunExecutor.Submission submission)
            throws InterruptedException
    {
        try {
            return submission.result().get();
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("run " + submission.runId() + " failed to run: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void logs(ControlRequest request, Responder responder)
            throws IOException, InterruptedException
    {
        LogSelection selection = LogSelection.of(request, config.get().engine().logDir(), history, config.get().engine().timeZone());
        LogTail tail = new LogTail(selection.file());
        int lines = request.number("lines", 100);
        if (lines < 0) {
            responder.error(ExitCodes.USAGE, "-n must be 0 or more, was " + lines);
            return;
        }
        tail.startAtLast(lines, selection::accepts);
        boolean follow = request.flag("follow");
        tail.pump(new LogTail.LineSink()
        {
            @Override
            public void accept(String line)
                    throws IOException
            {
                if (selection.accepts(line)) {
                    responder.event("log", line);
                }
            }

            @Override
            public void idle()
                    throws IOException
            {
                responder.event("heartbeat", Map.of());
            }
        }, follow, () -> selection.stillRunning(coordinator));
        responder.result(ExitCodes.SUCCESS, Map.of("file", selection.file().toString()));
    }

    private void configCheck(Responder responder)
            throws IOException
    {
        // Only the daemon's own file: checking a path the caller names would let an operator read any
        // file as root through the error messages.
        Path file = config.get().file();
        try {
            EngineConfig checked = loader.load(file);
            responder.result(ExitCodes.SUCCESS, Map.of("file", file.toString(), "valid", true, "jobs", checked.jobs().size()));
        }
        catch (ConfigException e) {
            responder.error(ExitCodes.CONFIG, e.getMessage());
        }
    }

    private void configReload(Responder responder)
            throws IOException
    {
        if (watcher.reload()) {
            responder.result(ExitCodes.SUCCESS, Map.of("accepted", true, "file", config.get().file().toString()));
            return;
        }
        CurrentConfig.ReloadStatus status = config.lastReload().orElseThrow();
        StringBuilder message = new StringBuilder("config edit refused; the previous config stays in force:");
        status.problems().forEach(problem -> message.append("\n  ").append(problem));
        responder.error(ExitCodes.CONFIG, message.toString());
    }

    private void pauseOrResume(ControlRequest request, Responder responder)
            throws IOException
    {
        String job = request.text("job");
        if (job == null || config.get().job(job).isEmpty()) {
            responder.error(ExitCodes.USAGE, "no job named '" + job + "'" + Suggestions.didYouMean(String.valueOf(job), config.get().jobs().keySet()));
            return;
        }
        boolean pause = request.command().equals("pause");
        try {
            if (pause) {
                scheduler.pause(job);
            }
            else {
                scheduler.resume(job);
            }
        }
        catch (SchedulerException e) {
            responder.error(ExitCodes.INTERNAL_ERROR, "cannot " + request.command() + " " + job + ": " + e.getMessage());
            return;
        }
        Optional<ZonedDateTime> next = pause ? Optional.empty() : config.job(job).schedule().nextFireAfter(Instant.now());
        responder.result(ExitCodes.SUCCESS, Map.of("job", job, "paused", pause, "next_fire", next.map(ZonedDateTime::toString).orElse("-")));
    }
}
