package io.hyperops.task.health.check;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JsonFiles;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.RunReport;
import io.hyperops.task.health.HealthSettings;
import io.hyperops.task.health.HostFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** sshd hardening, the config file, a pending reboot, failing jobs and stale state files. */
public final class ConfigChecks
{
    private final HostFiles host;
    private final HostPaths paths;
    private final JsonFiles jsonFiles;
    private final JobHistory history;
    private final HealthSettings settings;
    private final Clock clock;
    private final Supplier<List<String>> refusedEdit;

    /** @param refusedEdit the problems of the config file's edit the engine refused ({@link io.hyperops.spi.EngineFacts#refusedEdit}) */
    public ConfigChecks(HostFiles host, HostPaths paths, JsonFiles jsonFiles, JobHistory history, HealthSettings settings, Clock clock, Supplier<List<String>> refusedEdit)
    {
        this.refusedEdit = requireNonNull(refusedEdit, "refusedEdit is null");
        this.host = requireNonNull(host, "host is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.history = requireNonNull(history, "history is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("ssh_password_auth", () -> sshOption("PasswordAuthentication", "yes")),
                new HealthCheck("ssh_root_login", () -> sshOption("PermitRootLogin", "prohibit-password")),
                new HealthCheck("config_file", this::configFile),
                new HealthCheck("pending_reboot", this::pendingReboot),
                new HealthCheck("failed_jobs", this::failedJobs),
                new HealthCheck("stale_state_files", this::staleStateFiles),
                new HealthCheck("last_update", this::lastUpdate));
    }

    /** sshd uses the first value it reads for an option, included files at the place of their Include. */
    CheckResult sshOption(String option, String sshdDefault)
            throws IOException
    {
        Path config = host.path("/etc/ssh/sshd_config");
        if (!Files.exists(config)) {
            return CheckResult.info("no " + config + ": sshd is not configured here");
        }
        String value = firstValue(config, option.toLowerCase(Locale.ROOT), 0).orElse(sshdDefault);
        if (value.equalsIgnoreCase("no")) {
            return CheckResult.ok(option + " no");
        }
        return CheckResult.warn(option + " is " + value, "set '" + option + " no' in /etc/ssh/sshd_config and reload sshd");
    }

    private Optional<String> firstValue(Path file, String option, int depth)
            throws IOException
    {
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.strip().split("\\s+", 2);
            if (fields.length < 2 || fields[0].startsWith("#")) {
                continue;
            }
            String keyword = fields[0].toLowerCase(Locale.ROOT);
            if (keyword.equals("match")) {
                // what follows applies to some connections only
                return Optional.empty();
            }
            if (keyword.equals(option)) {
                return Optional.of(fields[1].strip().split("\\s+")[0]);
            }
            if (keyword.equals("include") && depth < 4) {
                for (String pattern : fields[1].strip().split("\\s+")) {
                    for (Path included : glob(pattern)) {
                        Optional<String> value = firstValue(included, option, depth + 1);
                        if (value.isPresent()) {
                            return value;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private List<Path> glob(String pattern)
            throws IOException
    {
        Path absolute = pattern.startsWith("/") ? host.path(pattern) : host.path("/etc/ssh/" + pattern);
        Path folder = absolute.getParent();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute.getFileName());
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, entry -> matcher.matches(entry.getFileName()))) {
            entries.forEach(matches::add);
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        matches.sort(null);
        return matches;
    }

    CheckResult configFile()
    {
        Path file = host.path(settings.configFile());
        if (!Files.exists(file)) {
            return CheckResult.warn("no config file " + settings.configFile() + ": every job runs with its defaults", "create " + settings.configFile() + " from the installation's etc/hyperops.json (the .deb installs it there) and edit it; 'hyperops config reference' lists every key");
        }
        try {
            jsonFiles.read(file, Map.class);
        }
        catch (RuntimeException e) {
            return CheckResult.error(settings.configFile() + " is not valid JSON: " + e.getMessage(), "fix it, then run: hyperops config check");
        }
        List<String> problems = refusedEdit.get();
        if (!problems.isEmpty()) {
            // the host runs on, with the config accepted before: what the edit meant to change is not in force
            return CheckResult.warn("the engine refused the last edit of " + settings.configFile() + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ", first: " + problems.get(0) + "); the config it accepted before is in force", "fix the file; 'hyperops config check' lists every problem, and a fixed file is taken by itself");
        }
        return CheckResult.ok(settings.configFile() + " is valid JSON");
    }

    CheckResult pendingReboot()
            throws IOException
    {
        if (Files.exists(host.path("/run/reboot-required"))) {
            return CheckResult.warn("the installed packages ask for a reboot (/run/reboot-required)", "plan a reboot (guests with autostart come back)");
        }
        Path current = host.path("/run/current-system");
        Path newest = host.path("/nix/var/nix/profiles/system");
        if (!Files.exists(current) || !Files.exists(newest)) {
            return CheckResult.ok("no reboot pending");
        }
        Path currentTarget = current.toRealPath();
        Path newestTarget = newest.toRealPath();
        if (!currentTarget.equals(newestTarget)) {
            return CheckResult.warn("the newest system generation (" + newestTarget.getFileName() + ") is not the running one (" + currentTarget.getFileName() + ")", "switch to it: nixos-rebuild switch, or reboot");
        }
        Path booted = host.path("/run/booted-system/kernel");
        if (Files.exists(booted) && Files.exists(current.resolve("kernel")) && !booted.toRealPath().equals(current.resolve("kernel").toRealPath())) {
            return CheckResult.warn("the running system has a new kernel that was not booted", "reboot to use it");
        }
        return CheckResult.ok("running the newest system generation");
    }

    CheckResult failedJobs()
    {
        List<String> failing = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (String job : new TreeSet<>(history.jobNames())) {
            if (job.equals("health")) {
                // its own failures are the ERRORs it reports: counting them would keep it failed
                continue;
            }
            List<RunReport> runs = history.recent(job, settings.failedRunsError());
            if (runs.isEmpty() || !failed(runs.get(0))) {
                continue;
            }
            String text = job + " (" + runs.get(0).outcome().jsonName() + ": " + runs.get(0).summary() + ")";
            if (runs.size() == settings.failedRunsError() && runs.stream().allMatch(ConfigChecks::failed)) {
                broken.add(text);
            }
            else {
                failing.add(text);
            }
        }
        String hint = "see why: hyperops history <job>, and the run's log under " + paths.logDir().resolve("runs");
        if (!broken.isEmpty()) {
            List<String> all = new ArrayList<>(broken);
            all.addAll(failing);
            return CheckResult.error("failed " + settings.failedRunsError() + " times in a row: " + String.join("; ", broken)
                    + (failing.isEmpty() ? "" : "; last run failed: " + String.join("; ", failing)), hint);
        }
        if (!failing.isEmpty()) {
            return CheckResult.warn("last run failed: " + String.join("; ", failing), hint);
        }
        return CheckResult.ok("the last run of every job succeeded or warned");
    }

    private static boolean failed(RunReport run)
    {
        return run.outcome() == RunOutcome.FAILED || run.outcome() == RunOutcome.TIMED_OUT;
    }

    /**
     * The newest update as the update task left it in {@code update-status.json} ({@code last_update}),
     * read as plain JSON so health needs nothing of that task: a rollback (automatic or by hand) is a WARN, a
     * rollback that failed or an update cut off mid-apply an ERROR.
     */
    @SuppressWarnings("unchecked")
    CheckResult lastUpdate()
    {
        Optional<Map<String, Object>> status = jsonFiles.read(paths.dataDir().resolve("update-status.json"), Map.class).map(map -> (Map<String, Object>) map);
        Object last = status.map(map -> map.get("last_update")).orElse(null);
        if (!(last instanceof Map<?, ?> update)) {
            return CheckResult.info("no update has run");
        }
        String run = String.valueOf(update.get("run_id"));
        String summary = String.valueOf(update.get("summary"));
        return switch (String.valueOf(update.get("outcome"))) {
            case "rolled-back" -> CheckResult.warn("update " + run + " was rolled back: " + summary, "see why with: hyperops update history");
            case "rollback-failed" -> CheckResult.error("update " + run + " could not be rolled back: " + summary, "check the host by hand; the providers left applied are in: hyperops update status");
            case "applying" -> stillApplying(run, "applying", String.valueOf(update.get("started")));
            case "rolling-back" -> stillApplying(run, "rolling back", String.valueOf(update.get("started")));
            default -> CheckResult.ok("last update " + run + ": " + update.get("outcome"));
        };
    }

    private CheckResult stillApplying(String run, String doing, String started)
    {
        Instant since = Instant.parse(started);
        if (Duration.between(since, clock.instant()).compareTo(Duration.ofHours(2)) < 0) {
            return CheckResult.info("update " + run + " has been " + doing + " since " + started);
        }
        return CheckResult.error("update " + run + " has been " + doing + " since " + started + ": it was cut off",
                "the next update run finishes it (the daemon starts one at its start; by hand: hyperops update apply), or undo it: hyperops update rollback");
    }

    /**
     * Temporary files an interrupted atomic write left in the state folder, and state folders of jobs
     * this engine no longer has (a task removed or a job renamed).
     */
    CheckResult staleStateFiles()
            throws IOException
    {
        if (!Files.isDirectory(paths.stateDir())) {
            return CheckResult.ok("no state folder yet");
        }
        Instant cutoff = clock.instant().minus(settings.staleTempAge());
        List<Path> temporary;
        try (Stream<Path> files = Files.walk(paths.stateDir(), 4)) {
            temporary = files.filter(file -> file.getFileName().toString().contains(".tmp-") && olderThan(file, cutoff)).sorted().toList();
        }
        List<String> orphaned = new ArrayList<>();
        Path jobs = paths.stateDir().resolve("jobs");
        if (Files.isDirectory(jobs)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(jobs, Files::isDirectory)) {
                for (Path folder : folders) {
                    if (!history.jobNames().contains(folder.getFileName().toString())) {
                        orphaned.add(folder.getFileName().toString());
                    }
                }
            }
            orphaned.sort(null);
        }
        if (!temporary.isEmpty()) {
            return CheckResult.warn(temporary.size() + " leftover temporary file(s): " + String.join(", ", temporary.stream().map(Path::toString).toList()),
                    "an interrupted write left them; delete them: rm " + String.join(" ", temporary.stream().map(Path::toString).toList()));
        }
        if (!orphaned.isEmpty()) {
            return CheckResult.info("state of jobs this engine does not have: " + String.join(", ", orphaned), "delete " + jobs + "/<job> once the job is gone for good");
        }
        return CheckResult.ok("no stale state files");
    }

    private static boolean olderThan(Path file, Instant cutoff)
    {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
        }
        catch (IOException e) {
            return false;
        }
    }
}
