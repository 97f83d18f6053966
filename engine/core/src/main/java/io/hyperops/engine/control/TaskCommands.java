package io.hyperops.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Injector;
import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.TaskCommand;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import static java.util.Objects.requireNonNull;

/**
 * Runs a task's command in the daemon for a caller ({@code task} requests; only invocations the
 * command's definition marks {@code inDaemon}, and only for a caller on the daemon's own config file).
 * What the command prints comes back as {@code out} and {@code err} events as it is flushed, so
 * progress lines reach the caller's terminal; its exit code is the result. A caller that goes away
 * stops the command, as Ctrl-C stops it in-process. One runs at a time; a second caller is told to run
 * it in its own process.
 */
final class TaskCommands
{
    private static final Logger LOG = LoggerFactory.getLogger(TaskCommands.class);
    private static final int SEND_AT = 8192;

    private final JobCatalog catalog;
    private final Injector injector;
    private final CurrentConfig config;
    private final Semaphore slot = new Semaphore(1);
    private volatile String running;

    @Inject
    TaskCommands(JobCatalog catalog, Injector injector, CurrentConfig config)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.injector = requireNonNull(injector, "injector is null");
        this.config = requireNonNull(config, "config is null");
    }

    void run(ControlRequest request, Responder responder)
            throws IOException
    {
        String name = String.valueOf(request.text("name"));
        List<String> arguments = new ArrayList<>();
        for (JsonNode argument : request.args().path("arguments")) {
            arguments.add(argument.asText());
        }
        JobCatalog.RegisteredCommand command = catalog.commands().get(name);
        Path ownConfig = config.get().file().toAbsolutePath().normalize();
        String callerConfig = String.valueOf(request.text("config"));
        // UNAVAILABLE is the caller's cue to run the command in its own process instead
        if (command == null || !command.definition().inDaemon().test(arguments)) {
            responder.error(ExitCodes.UNAVAILABLE, "the daemon does not run '" + name + " " + String.join(" ", arguments) + "'"
                    + (command == null ? Suggestions.didYouMean(name, catalog.commands().keySet()) : "") + "; it runs in the calling process");
            return;
        }
        if (!Path.of(callerConfig).toAbsolutePath().normalize().equals(ownConfig)) {
            responder.error(ExitCodes.UNAVAILABLE, "the daemon runs on " + ownConfig + ", not " + callerConfig + "; the command runs in the calling process");
            return;
        }
        // One at a time: each may be a backup pipeline with its own buffers and threads, and the daemon's
        // memory is bounded (MemoryMax); a second caller runs it in its own process instead.
        if (!slot.tryAcquire()) {
            responder.error(ExitCodes.UNAVAILABLE, "the daemon is already running '" + running + "' for a caller; '" + name + " "
                    + String.join(" ", arguments) + "' runs in the calling process");
            return;
        }
        running = name + " " + String.join(" ", arguments);
        int exitCode;
        try {
            exitCode = runHere(name, arguments, command, request, responder);
        }
        finally {
            running = null;
            slot.release();
        }
        // after the release: a caller that sends its next command the moment this one answers finds the slot free
        responder.result(exitCode, Map.of());
    }

    /** Runs the command, its output streamed as events; returns its exit code. */
    private int runHere(String name, List<String> arguments, JobCatalog.RegisteredCommand command, ControlRequest request, Responder responder)
            throws IOException
    {
        TaskCommand task = injector.getInstance(command.definition().type());
        Thread runner = Thread.currentThread();
        // Ctrl-C on the caller's side stops the command, as it does in-process: a backup then
        // cleans up (partial archive removed, guest pivoted back) instead of running on unseen
        responder.whenCallerLeaves(runner::interrupt);
        int exitCode;
        try (PrintWriter out = new PrintWriter(new Events(responder, "out", runner));
                PrintWriter err = new PrintWriter(new Events(responder, "err", runner))) {
            try {
                exitCode = task.run(arguments, out, err, request.flag("terminal"));
            }
            catch (InterruptedException e) {
                err.println(name + ": stopped (the caller went away or the daemon is stopping)");
                exitCode = ExitCodes.INTERNAL_ERROR;
            }
            catch (Exception e) {
                // answered here, never passed up: a refusal would make the caller run the command again itself
                LOG.error("Command {} {} failed in the daemon", name, arguments, e);
                err.println(name + ": " + e.getMessage());
                exitCode = e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.INTERNAL_ERROR;
            }
            out.flush();
            err.flush();
        }
        // the thread serves further connections: an interrupt the caller's leaving raised must not stay on it
        Thread.interrupted();
        return exitCode;
    }

    /** Text written by the command, sent as an event line on each flush and every few kilobytes. */
    private static final class Events
            extends Writer
    {
        private final Responder responder;
        private final String stream;
        private final Thread runner;
        private final StringBuilder pending = new StringBuilder();
        private boolean gone;

        Events(Responder responder, String stream, Thread runner)
        {
            this.responder = responder;
            this.stream = stream;
            this.runner = runner;
        }

        @Override
        public void write(char[] characters, int offset, int length)
        {
            synchronized (responder) {
                pending.append(characters, offset, length);
                if (pending.length() >= SEND_AT) {
                    send();
                }
            }
        }

        @Override
        public void flush()
        {
            synchronized (responder) {
                send();
            }
        }

        @Override
        public void close()
        {
            flush();
        }

        private void send()
        {
            if (pending.length() == 0 || gone) {
                pending.setLength(0);
                return;
            }
            String text = pending.toString();
            pending.setLength(0);
            try {
                responder.event(stream, text);
            }
            catch (IOException e) {
                // The caller went away (Ctrl-C) and saw this output last: stop the command, as Ctrl-C
                // stops it in-process. A backup then cleans up (partial removed, guest pivoted back).
                gone = true;
                runner.interrupt();
            }
        }
    }
}
