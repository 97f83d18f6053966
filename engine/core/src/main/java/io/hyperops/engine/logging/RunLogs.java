package io.hyperops.engine.logging;

import ch.qos.logback.classic.ClassicConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Path;

/**
 * Tags every line logged by the current thread during a run with its job and run id; the sifting
 * appender set up by {@link LogSetup} sends those lines to the run's own file as well.
 */
public final class RunLogs
{
    public static final String JOB = "job";
    public static final String RUN_ID = "run_id";
    /** {@code <job>/<run id>}: the path of the run's log file below {@code <log_dir>/runs/}. */
    static final String RUN_LOG = "run_log";

    private static final Logger log = LoggerFactory.getLogger("hyperops.run");

    private RunLogs() {}

    public static Path runLogFile(Path logDir, String job, String runId)
    {
        return logDir.resolve("runs").resolve(job).resolve(runId + ".log");
    }

    public static Scope open(Path logDir, String job, String runId)
    {
        // A job may run another in its own thread (JobRunner): remember the outer run's tags to restore.
        Scope scope = new Scope(runLogFile(logDir, job, runId), MDC.get(JOB), MDC.get(RUN_ID), MDC.get(RUN_LOG));
        MDC.put(JOB, job);
        MDC.put(RUN_ID, runId);
        MDC.put(RUN_LOG, job + "/" + runId);
        return scope;
    }

    public static final class Scope
            implements AutoCloseable
    {
        private final Path file;
        private final String outerJob;
        private final String outerRunId;
        private final String outerRunLog;

        private Scope(Path file, String outerJob, String outerRunId, String outerRunLog)
        {
            this.file = file;
            this.outerJob = outerJob;
            this.outerRunId = outerRunId;
            this.outerRunLog = outerRunLog;
        }

        public Path file()
        {
            return file;
        }

        /** Logs the run's last line and closes its file, which would otherwise stay open until idle. */
        public void finish(String message)
        {
            log.info(ClassicConstants.FINALIZE_SESSION_MARKER, message);
        }

        @Override
        public void close()
        {
            restore(JOB, outerJob);
            restore(RUN_ID, outerRunId);
            restore(RUN_LOG, outerRunLog);
        }

        private static void restore(String key, String value)
        {
            if (value == null) {
                MDC.remove(key);
            }
            else {
                MDC.put(key, value);
            }
        }
    }
}
