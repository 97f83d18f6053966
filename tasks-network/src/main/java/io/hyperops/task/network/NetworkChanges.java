package io.hyperops.task.network;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.TextFiles;
import io.hyperops.task.network.ChangeReport.Outcome;
import io.hyperops.task.network.Probes.ProbeResult;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Applies a change the way {@code netplan try} does: save, apply, then keep it only if the probes pass or
 * an operator confirms within the window; otherwise revert. The revert does not depend on this process:
 * a watchdog shell in its own session reverts at the deadline if nobody decided first (see
 * {@link PendingChange} for who decides), so killing the command, or losing the SSH session it ran in,
 * still brings the old network back.
 */
public final class NetworkChanges
{
    private static final File NO_INPUT = new File("/dev/null");
    private static final Logger LOG = LoggerFactory.getLogger(NetworkChanges.class);
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** How long past its deadline a pending change may stay before anyone but the watchdog reverts it. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    // every file of a pending change goes through it (temp, fsync, rename, fsync of the folder): the revert after a
    // power cut reads them, and an empty revert script then would leave the host on the change it could not confirm
    private final TextFiles files;
    private final HostShell shell;
    private final InterfaceDiscovery discovery;
    private final Probes probes;
    private final AuditLog audit;
    private final Clock clock;
    private final Path root;

    @Inject
    public NetworkChanges(HostShell shell, InterfaceDiscovery discovery, Probes probes, AuditLog audit, Clock clock, HostPaths paths, TextFiles files)
    {
        this.files = requireNonNull(files, "files is null");
        this.shell = requireNonNull(shell, "shell is null");
        this.discovery = requireNonNull(discovery, "discovery is null");
        this.probes = requireNonNull(probes, "probes is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.root = requireNonNull(paths, "paths is null").stateDir().resolve("network");
    }

    /** Validates and plans without changing anything. */
    public ChangeReport plan(NetworkChange change, NetworkSettings settings)
            throws IOException, InterruptedException
    {
        HostNetwork host = discovery.read();
        List<Refusal> refusals = ChangeValidator.check(change, host, settings.networkdDir());
        if (!refusals.isEmpty()) {
            return refused(change, refusals);
        }
        NetworkPlan plan = NetworkPlanner.plan(change, host, settings.networkdDir());
        return new ChangeReport(Outcome.PLANNED, "dry run: nothing was changed", List.of(), Optional.of(plan), List.of());
    }

    public ChangeReport apply(NetworkChange change, NetworkSettings settings, List<String> extraProbes, PrintWriter out)
            throws IOException, InterruptedException
    {
        Opening opening = underLock(() -> open(change, settings, extraProbes));
        if (opening.refusal().isPresent()) {
            return opening.refusal().get();
        }
        PendingChange pending = opening.pending();
        NetworkPlan plan = opening.plan();
        HostNetwork before = opening.before();
        Instant deadline = opening.deadline();
        long seconds = opening.seconds();
        audit.record(new AuditEvent("network.change", change.target(), "applied", Map.of("change", change.summary(), "deadline", deadline.toString())));
        LOG.info("Applying network {}; reverted at {} unless confirmed", change.summary(), deadline);

        List<String> targets = probeTargets(change, before, settings, extraProbes);
        try {
            writeFiles(plan, settings.networkdDir());
            for (List<String> command : plan.commands()) {
                shell.output(command, COMMAND_TIMEOUT);
            }
        }
        catch (IOException e) {
            LOG.warn("Applying network {} failed; reverting now", change.summary(), e);
            revertIfStillPending(pending);
            return finish(pending, plan, List.of("applying failed: " + e.getMessage()));
        }
        out.println("Applied: " + change.summary() + ".");
        out.println(targets.isEmpty()
                ? "No probe targets: run 'hyperops network confirm' within " + seconds + " s to keep the change, or it is reverted."
                : "Probing " + String.join(", ", targets) + "; the change is reverted in " + seconds + " s unless the probes pass or 'hyperops network confirm' is run.");
        out.flush();
        List<String> lastProbes = new ArrayList<>();
        if (window(pending, targets, settings, deadline, lastProbes)) {
            pending.archive(root.resolve("history"));
            return new ChangeReport(Outcome.CONFIRMED_BY_PROBES, "kept: " + change.summary() + " (the probes passed)", List.of(), Optional.of(plan), lastProbes);
        }
        revertIfStillPending(pending);
        return finish(pending, plan, lastProbes);
    }

    /**
     * Claims the change for reverting and reverts it, unless someone decided first. Under the lock, from
     * the claim until {@code reverted} is written: a settling elsewhere in between would find a revert
     * claimed with nobody on record running it, and run a second one beside it.
     */
    private void revertIfStillPending(PendingChange pending)
            throws IOException, InterruptedException
    {
        underLock(() -> {
            if (pending.claim(PendingChange.REVERTING)) {
                runRevert(pending, "hyperops");
            }
            return null;
        });
    }

    /** A change set up and watched by its watchdog, ready to apply; or why it was refused. */
    private record Opening(Optional<ChangeReport> refusal, PendingChange pending, NetworkPlan plan, HostNetwork before, Instant deadline, long seconds)
    {
        static Opening refused(ChangeReport refusal)
        {
            return new Opening(Optional.of(refusal), null, null, null, null, 0);
        }
    }

    /** Settles what others left, validates, and sets the change up with its revert and watchdog; under the lock. */
    private Opening open(NetworkChange change, NetworkSettings settings, List<String> extraProbes)
            throws IOException, InterruptedException
    {
        reconcileLocked();
        HostNetwork before = discovery.read();
        List<Refusal> refusals = ChangeValidator.check(change, before, settings.networkdDir());
        if (!refusals.isEmpty()) {
            return Opening.refused(refused(change, refusals));
        }
        for (String target : extraProbes) {
            if (IpAddresses.literal(target).isEmpty()) {
                return Opening.refused(refused(change, List.of(new Refusal("probe target '" + target + "' is not an IP address", "give an address such as 192.168.1.1"))));
            }
        }
        NetworkPlan plan = NetworkPlanner.plan(change, before, settings.networkdDir());
        Files.createDirectories(root);
        PendingChange pending = new PendingChange(openFolder());
        try {
            Files.createDirectory(pending.folder());
        }
        catch (FileAlreadyExistsException e) {
            return Opening.refused(refused(change, List.of(new Refusal(
                    "another change is waiting for confirmation (" + Files.readString(pending.file(PendingChange.SUMMARY), StandardCharsets.UTF_8).lines().skip(1).findFirst().orElse("?") + ")",
                    "confirm it with: hyperops network confirm, or wait until it is reverted"))));
        }
        long seconds = Math.max(1, (settings.confirmTimeout().toMillis() + 999) / 1000);
        Instant deadline = clock.instant().plusSeconds(seconds);
        try {
            prepare(pending, plan, before, settings.networkdDir(), deadline, seconds);
        }
        catch (IOException e) {
            // Nothing was applied yet; without a watchdog the change must not start.
            PendingChange.deleteTree(pending.folder());
            throw e;
        }
        return new Opening(Optional.empty(), pending, plan, before, deadline, seconds);
    }

    private interface LockedCall<T>
    {
        T call()
                throws IOException, InterruptedException;
    }

    /**
     * Runs {@code call} while no other process or thread sets a change up or settles one: between
     * creating the open folder and starting its watchdog, a reconcile elsewhere would take the change
     * for one whose set-up died, and delete it or revert it under the process applying it. One thread of
     * this process at a time (a second descriptor of the lock file, closed, would drop the first's lock),
     * and the file lock keeps other processes out.
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    private <T> T underLock(LockedCall<T> call)
            throws IOException, InterruptedException
    {
        synchronized (NetworkChanges.class) {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                return call.call();
            }
        }
    }

    /** Keeps the open change. Empty when there is none; the report says whether it was in time. */
    public Optional<ChangeReport> confirm()
            throws IOException
    {
        PendingChange pending = new PendingChange(openFolder());
        if (!pending.has(PendingChange.SUMMARY)) {
            return Optional.empty();
        }
        // Read before the claim: once confirmed, the applying process may file the folder away at any moment.
        String summary = pending.summary();
        String target = pending.target();
        Optional<ProcessHandle> watchdog = watchdog(pending);
        if (!pending.claim(PendingChange.CONFIRMED)) {
            return Optional.of(new ChangeReport(Outcome.REVERTED, "too late: " + summary + " was already decided (reverted at its deadline)", List.of(), Optional.empty(), List.of()));
        }
        watchdog.ifPresent(NetworkChanges::stop);
        audit.record(new AuditEvent("network.change", target, "confirmed", Map.of("change", summary, "by", "operator")));
        LOG.info("Network {} confirmed by the operator", summary);
        return Optional.of(new ChangeReport(Outcome.CONFIRMED_BY_OPERATOR, "kept: " + summary, List.of(), Optional.empty(), List.of()));
    }

    /**
     * Settles what a dead process left: audits a revert the watchdog did, reverts a change whose watchdog
     * did not fire (the host rebooted), files a confirmed change away, drops a change that never started.
     *
     * @return what it found reverted with nobody left to report it, for network-check to report
     */
    public Optional<String> reconcile()
            throws IOException, InterruptedException
    {
        return underLock(this::reconcileLocked);
    }

    private Optional<String> reconcileLocked()
            throws IOException, InterruptedException
    {
        PendingChange open = new PendingChange(openFolder());
        if (!Files.isDirectory(open.folder())) {
            return Optional.empty();
        }
        if (open.has(PendingChange.PENDING)) {
            boolean overdue = clock.instant().isAfter(open.deadline().plus(WATCHDOG_GRACE));
            if ((overdue || watchdog(open).isEmpty()) && open.claim(PendingChange.REVERTING)) {
                LOG.warn("Network {} has no watchdog left (the host rebooted, or it was killed); reverting it now", open.summary());
                runRevert(open, "hyperops (overdue)");
            }
            else {
                return Optional.empty();
            }
        }
        if (open.has(PendingChange.REVERTING) && !open.has(PendingChange.REVERTED) && watchdog(open).isEmpty() && reverter(open).isEmpty()) {
            // whoever ran the revert died in it (a killed command, a reboot): its steps can all run again
            LOG.warn("Network {}: its revert was cut off; running it again", open.summary());
            runRevert(open, "hyperops (resumed)");
        }
        Optional<String> settled = Optional.empty();
        if (open.has(PendingChange.REVERTED)) {
            if (!open.has(PendingChange.AUDITED)) {
                boolean succeeded = auditRevert(open, List.of());
                settled = Optional.of("network " + open.summary() + (succeeded ? " was reverted" : " could not be reverted")
                        + " (" + open.revertResult().orElse("?") + "): nobody confirmed it within its window");
            }
            open.archive(root.resolve("history"));
        }
        else if (open.has(PendingChange.CONFIRMED)) {
            open.archive(root.resolve("history"));
        }
        else if (!open.has(PendingChange.REVERTING)) {
            // Set-up stopped before the window opened: nothing was applied, since files and links change only after 'pending' exists.
            PendingChange.deleteTree(open.folder());
        }
        return settled;
    }

    /** Where the one open change lives while its window is open. */
    public Path openFolder()
    {
        return root.resolve("open");
    }

    /** The change waiting for confirmation, if any: its summary and deadline. */
    public Optional<String> describePending()
            throws IOException
    {
        PendingChange open = new PendingChange(openFolder());
        if (!open.has(PendingChange.PENDING)) {
            return Optional.empty();
        }
        return Optional.of(open.summary() + ", reverted at " + open.deadline() + " unless confirmed");
    }

    private void prepare(PendingChange pending, NetworkPlan plan, HostNetwork before, Path networkdDir, Instant deadline, long seconds)
            throws IOException
    {
        NetworkChange change = plan.change();
        // the time orders the history; the random part keeps two changes to one target within a second apart
        String id = ID.format(clock.instant()) + "-" + change.target() + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        files.write(pending.file(PendingChange.SUMMARY), deadline + "\n" + change.summary() + "\n" + change.target() + "\n" + id + "\n");
        Path backups = pending.file(PendingChange.BACKUP);
        Files.createDirectories(backups);
        Set<String> existing = new HashSet<>();
        for (String name : plan.touchedFiles()) {
            Path file = networkdDir.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, backups.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                PendingChange.sync(backups.resolve(name));
                existing.add(name);
            }
        }
        PendingChange.sync(backups);
        files.write(pending.file(PendingChange.REVERT_SCRIPT), RevertScript.render(plan, before, shell.prefix(), networkdDir, backups, existing));
        files.write(pending.file(PendingChange.WATCHDOG_SCRIPT), watchdog(pending.folder(), seconds));
        // last: a change is pending only once everything its revert needs is on disk
        files.write(pending.file(PendingChange.PENDING), deadline + "\n");
        startWatchdog(pending);
    }

    /**
     * The watchdog sleeps in a session of its own ({@code setsid}): a Ctrl-C or a hang-up that ends the
     * command reaches only the command's process group, never the watchdog.
     */
    private static String watchdog(Path folder, long seconds)
    {
        return String.join("\n",
                "#!/bin/sh",
                "# Reverts the change in this folder at its deadline unless it was decided first (see PendingChange).",
                "cd " + RevertScript.quote(folder) + " || exit 1",
                "echo $$ > " + PendingChange.WATCHDOG_PID,
                "sleep " + seconds,
                // sync: the decision and the result outlive a power cut, as the daemon's own writes do
                "if mv -T " + PendingChange.PENDING + " " + PendingChange.REVERTING + " 2>/dev/null; then",
                "  sync .",
                "  sh " + PendingChange.REVERT_SCRIPT + " > " + PendingChange.REVERT_LOG + " 2>&1",
                "  echo \"$? $(date -u +%Y-%m-%dT%H:%M:%SZ) watchdog\" > " + PendingChange.REVERTED + ".tmp && sync " + PendingChange.REVERTED + ".tmp && mv -f "
                        + PendingChange.REVERTED + ".tmp " + PendingChange.REVERTED + " && sync .",
                "fi",
                "");
    }

    private static void startWatchdog(PendingChange pending)
            throws IOException
    {
        Process process = new ProcessBuilder("setsid", "-f", "sh", pending.file(PendingChange.WATCHDOG_SCRIPT).toString())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            // setsid -f returns once the watchdog is forked; only then may anything change
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("could not start the revert watchdog (setsid -f sh " + pending.file(PendingChange.WATCHDOG_SCRIPT) + ")");
            }
            // Its pid file is how everyone else knows it runs; nothing may change before it is there.
            for (int attempt = 0; attempt < 100 && watchdog(pending).isEmpty(); attempt++) {
                Thread.sleep(50);
            }
            if (watchdog(pending).isEmpty()) {
                throw new IOException("the revert watchdog did not start (" + pending.file(PendingChange.WATCHDOG_SCRIPT) + ")");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the revert watchdog", e);
        }
    }

    /** Ends the watchdog of a decided change; it would find nothing to do at its deadline anyway. */
    private static void stopWatchdog(PendingChange pending)
    {
        watchdog(pending).ifPresent(NetworkChanges::stop);
    }

    private static void stop(ProcessHandle watchdog)
    {
        watchdog.descendants().forEach(ProcessHandle::destroy);
        watchdog.destroy();
    }

    /** The change's watchdog process, if it still runs: the pid it wrote, checked against its command line so a reused pid is never taken for it. */
    private static Optional<ProcessHandle> watchdog(PendingChange pending)
    {
        String script = pending.file(PendingChange.WATCHDOG_SCRIPT).toString();
        try {
            long pid = Long.parseLong(Files.readString(pending.file(PendingChange.WATCHDOG_PID), StandardCharsets.UTF_8).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().arguments().map(arguments -> String.join(" ", arguments).contains(script)).orElse(false));
        }
        catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process running the change's revert for hyperops, if it still runs (checked by its command line, as the watchdog's). */
    private static Optional<ProcessHandle> reverter(PendingChange pending)
    {
        String script = pending.file(PendingChange.REVERT_SCRIPT).toString();
        try {
            long pid = Long.parseLong(Files.readString(pending.file(PendingChange.REVERT_PID), StandardCharsets.UTF_8).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().arguments().map(arguments -> String.join(" ", arguments).contains(script)).orElse(false));
        }
        catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Probes until they pass, someone decides, or the deadline; true when passing probes kept the change.
     * {@code messages} ends up holding the last round's results.
     */
    private boolean window(PendingChange pending, List<String> targets, NetworkSettings settings, Instant deadline, List<String> messages)
            throws IOException, InterruptedException
    {
        while (clock.instant().isBefore(deadline) && pending.has(PendingChange.PENDING)) {
            if (!targets.isEmpty()) {
                List<ProbeResult> results;
                try {
                    results = probes.run(targets, settings.probeTimeout());
                }
                catch (IOException e) {
                    // ping missing or unusable: no probe can pass, so only a confirmation keeps the change
                    results = List.of(new ProbeResult(String.join(",", targets), false, Optional.empty(), false, "probes could not run: " + e.getMessage()));
                }
                if (!pending.has(PendingChange.PENDING)) {
                    // The watchdog reverted the change (or the operator decided) while this round ran, so it measured
                    // the old configuration, not the change: the report keeps the last round that measured the change.
                    // Seen in CI: a jumbo MTU's failed don't-fragment probe replaced by "answers" after the revert.
                    break;
                }
                messages.clear();
                results.forEach(result -> messages.add(result.message()));
                if (results.stream().allMatch(ProbeResult::passed) && pending.claim(PendingChange.CONFIRMED)) {
                    stopWatchdog(pending);
                    audit.record(new AuditEvent("network.change", pending.target(), "confirmed", Map.of("change", pending.summary(), "by", "probes", "probes", List.copyOf(messages))));
                    LOG.info("Network {} kept: probes passed ({})", pending.summary(), messages);
                    return true;
                }
            }
            long left = Duration.between(clock.instant(), deadline).toMillis();
            Thread.sleep(Math.max(0, Math.min(left, targets.isEmpty() ? 200 : settings.probeInterval().toMillis())));
        }
        return false;
    }

    /** Reads how the change ended, waiting for a revert the watchdog is running, and files it away. */
    private ChangeReport finish(PendingChange pending, NetworkPlan plan, List<String> probeMessages)
            throws IOException, InterruptedException
    {
        String id = pending.id();
        PendingChange located = pending;
        Instant giveUp = clock.instant().plus(COMMAND_TIMEOUT.multipliedBy(2));
        while (true) {
            if (!Files.isDirectory(located.folder())) {
                located = new PendingChange(root.resolve("history").resolve(id));
            }
            if (located.has(PendingChange.REVERTED) || located.has(PendingChange.CONFIRMED) || clock.instant().isAfter(giveUp)) {
                break;
            }
            Thread.sleep(100);
        }
        if (located.has(PendingChange.CONFIRMED)) {
            located.archive(root.resolve("history"));
            return new ChangeReport(Outcome.CONFIRMED_BY_OPERATOR, "kept: " + plan.change().summary() + " (confirmed by the operator)", List.of(), Optional.of(plan), probeMessages);
        }
        boolean succeeded = auditRevert(located, probeMessages);
        located.archive(root.resolve("history"));
        return new ChangeReport(
                succeeded ? Outcome.REVERTED : Outcome.REVERT_FAILED,
                succeeded
                        ? "reverted: " + plan.change().summary() + " (no passing probes and no confirmation within the window)"
                        : "the revert of " + plan.change().summary() + " failed; see " + root.resolve("history").resolve(id).resolve(PendingChange.REVERT_LOG),
                List.of(),
                Optional.of(plan),
                probeMessages);
    }

    /** Records the revert once, whoever ran it; true when the revert script succeeded. */
    private boolean auditRevert(PendingChange pending, List<String> probeMessages)
            throws IOException
    {
        String result = pending.revertResult().orElse("unknown");
        boolean succeeded = result.startsWith("0 ");
        if (pending.claimAudit()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("change", pending.summary());
            details.put("result", result);
            details.put("probes", probeMessages);
            if (!succeeded) {
                details.put("log", pending.revertLog());
            }
            audit.record(new AuditEvent("network.change", pending.target(), succeeded ? "reverted" : "revert-failed", details));
            if (succeeded) {
                LOG.warn("Network {} reverted ({})", pending.summary(), result);
            }
            else {
                LOG.error("Network {}: revert failed ({}):\n{}", pending.summary(), result, pending.revertLog());
            }
        }
        return succeeded;
    }

    /**
     * Runs the revert in a session of its own, as the watchdog does, so that a Ctrl-C or a hang-up that
     * ends the command does not stop it half-way; its pid is on record, so that a revert cut off anyway
     * (the process killed, a reboot) is told from one still running and run again by {@link #reconcile}.
     */
    private void runRevert(PendingChange pending, String by)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder("setsid", "-w", "sh", pending.file(PendingChange.REVERT_SCRIPT).toString())
                .redirectErrorStream(true)
                .redirectOutput(pending.file(PendingChange.REVERT_LOG).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .start();
        files.write(pending.file(PendingChange.REVERT_PID), process.pid() + "\n");
        int exitCode = process.waitFor(COMMAND_TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS) ? process.exitValue() : -1;
        files.write(pending.file(PendingChange.REVERTED), exitCode + " " + clock.instant() + " " + by + "\n");
    }

    private void writeFiles(NetworkPlan plan, Path networkdDir)
            throws IOException
    {
        Files.createDirectories(networkdDir);
        for (Map.Entry<String, String> file : plan.files().entrySet()) {
            files.write(networkdDir.resolve(file.getKey()), file.getValue());
        }
        for (String name : plan.deletions()) {
            Files.deleteIfExists(networkdDir.resolve(name));
        }
        PendingChange.sync(networkdDir);
    }


    /**
     * Configured targets, the operator's, the default gateways reached through an interface the change
     * touches, and a new static gateway. A gateway behind another interface answers whatever the change
     * did, so it would keep a change that cut the host off on the changed one.
     */
    private static List<String> probeTargets(NetworkChange change, HostNetwork before, NetworkSettings settings, List<String> extraProbes)
    {
        Set<String> targets = new LinkedHashSet<>(settings.probeTargets());
        targets.addAll(extraProbes);
        Set<String> affected = RevertScript.affected(change, before);
        before.defaultRoutes().stream().filter(route -> affected.contains(route.device())).forEach(route -> targets.add(route.gateway()));
        if (change instanceof NetworkChange.BridgeCreate create) {
            create.addressing().gateway().ifPresent(targets::add);
        }
        return List.copyOf(targets);
    }

    private ChangeReport refused(NetworkChange change, List<Refusal> refusals)
    {
        audit.record(new AuditEvent("network.change", change.target(), "refused", Map.of(
                "change", change.summary(),
                "reasons", refusals.stream().map(Refusal::reason).toList())));
        return new ChangeReport(Outcome.REFUSED, "refused: " + change.summary(), refusals, Optional.empty(), List.of());
    }
}
