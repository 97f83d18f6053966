package io.hyperops.engine.config;

import io.hyperops.spi.Description;
import io.hyperops.spi.HostPaths;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The {@code engine} section of the config file. Absent keys take the defaults set here. */
@Description("Settings of the engine itself. Changes to them take effect at the next start, not on reload.")
public record EngineSettings(
        @Description("libvirt connection URI. `test:///default` is libvirt's built-in test driver and needs no daemon.")
        String libvirtUri,
        @Description("The host's data folder, where the seed's scripts kept their files (`health-status.json`, `metrics-*.json`, `backups/`).")
        Path dataDir,
        @Description("The engine's own state: per-job state, run history, catch-up stamps, locks. Default: `<data_dir>/hyperops`.")
        Path stateDir,
        @Description("Engine log and one log file per run. Default: `<data_dir>/logs`.")
        Path logDir,
        @Description("Quartz worker threads, which hand each fire to a thread of its own (1 to 64); how many runs go at once is up to the jobs' overlap policies, one each by default.")
        Integer workerThreads,
        @Description("How long running jobs may take to finish at shutdown before they are interrupted.")
        Duration shutdownGrace,
        @Description("Time zone of schedules that name none. Default: the host's.")
        ZoneId timeZone,
        @Description("Run history kept per job: at most this many runs...")
        Integer historyMaxRuns,
        @Description("...and none older than this.")
        Duration historyMaxAge,
        @Description("Extra Quartz properties (`org.quartz.*`), e.g. a clustered JDBC job store. Default: in-memory job store.")
        Map<String, String> quartz,
        @Description("The daemon's control socket, through which the `hyperops` command talks to it.")
        Path controlSocket,
        @Description("Group of operators: may read everything and run the operator-allowed jobs. The socket is owned by this group (mode 0660).")
        String operatorGroup,
        @Description("Group of admins, besides root: may do everything.")
        String adminGroup,
        @Description("Jobs an operator may run by hand; the rest are admin-only.")
        List<String> operatorJobs,
        @Description("Where a copy of each audit line goes, off the audit file: `none`, `journal` (systemd's journal, from the daemon and from commands run in their own process alike) or `syslog`.")
        String auditForward,
        @Description("The syslog socket `audit_forward: syslog` writes to.")
        Path syslogSocket,
        @Description("The journal's socket `audit_forward: journal` writes to; where it is missing (no systemd), the lines go to the process's own log.")
        Path journalSocket)
{
    public static final String DEFAULT_LIBVIRT_URI = "qemu:///system";
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/hypervisor");
    public static final Path DEFAULT_CONTROL_SOCKET = Path.of("/run/hyperops/control.sock");
    /** The seed's operator could check health, gather metrics and take backups. */
    public static final List<String> DEFAULT_OPERATOR_JOBS = List.of("health", "metrics", "backup");

    public EngineSettings
    {
        if (libvirtUri == null) {
            libvirtUri = DEFAULT_LIBVIRT_URI;
        }
        if (dataDir == null) {
            dataDir = DEFAULT_DATA_DIR;
        }
        if (stateDir == null) {
            stateDir = dataDir.resolve("hyperops");
        }
        if (logDir == null) {
            logDir = dataDir.resolve("logs");
        }
        if (workerThreads == null) {
            workerThreads = 4;
        }
        if (workerThreads < 1 || workerThreads > 64) {
            throw new IllegalArgumentException("worker_threads must be between 1 and 64, not " + workerThreads);
        }
        if (shutdownGrace == null) {
            shutdownGrace = Duration.ofSeconds(30);
        }
        if (timeZone == null) {
            timeZone = ZoneId.systemDefault();
        }
        if (historyMaxRuns == null) {
            historyMaxRuns = 200;
        }
        if (historyMaxRuns < 1) {
            throw new IllegalArgumentException("history_max_runs must be at least 1, not " + historyMaxRuns);
        }
        if (historyMaxAge == null) {
            historyMaxAge = Duration.ofDays(90);
        }
        quartz = quartz == null ? Map.of() : Map.copyOf(quartz);
        if (controlSocket == null) {
            controlSocket = DEFAULT_CONTROL_SOCKET;
        }
        if (operatorGroup == null) {
            operatorGroup = "hypervisor-operator";
        }
        if (adminGroup == null) {
            adminGroup = "wheel";
        }
        operatorJobs = operatorJobs == null ? DEFAULT_OPERATOR_JOBS : List.copyOf(operatorJobs);
        if (auditForward == null) {
            auditForward = "none";
        }
        if (!List.of("none", "journal", "syslog").contains(auditForward)) {
            throw new IllegalArgumentException("audit_forward must be 'none', 'journal' or 'syslog', not '" + auditForward + "'");
        }
        if (syslogSocket == null) {
            syslogSocket = Path.of("/dev/log");
        }
        if (journalSocket == null) {
            journalSocket = Path.of("/run/systemd/journal/socket");
        }
        for (String key : quartz.keySet()) {
            if (!key.startsWith("org.quartz.")) {
                throw new IllegalArgumentException("quartz: '" + key + "' is not a Quartz property (they start with org.quartz.)");
            }
        }
    }

    public HostPaths paths()
    {
        return new HostPaths(dataDir, stateDir, logDir);
    }
}
