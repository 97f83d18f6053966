package io.hyperops.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Injector;
import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.engine.text.Suggestions;
import io.hyperops.spi.TaskCommand;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Runs a task's command in the daemon for a caller ({@code task} requests; only commands whose
 * definition says {@code inDaemon}). What the command prints comes back as {@code out} and {@code err}
 * events as it is flushed, so progress lines reach the caller's terminal; its exit code is the result.
 */
final class TaskCommands
{
    private static final Logger LOG = LoggerFactory.getLogger(TaskCommands.class);
    private static final int SEND_AT = 8192;

    private final JobCatalog catalog;
    private final Injector injector;

    @Inject
    TaskCommands(JobCatalog catalog, Injector injector)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.injector = requireNonNull(injector, "injector is null");
    }

    void run(ControlRequest request, Responder responder)
            throws IOException, InterruptedException
    {
        String name = String.valueOf(request.text("name"));
        List<String> arguments = new ArrayList<>();
        for (JsonNode argument : request.args().path("arguments")) {
            arguments.add(argument.asText());
        }
        JobCatalog.RegisteredCommand command = catalog.commands().get(name);
        if (command == null || !command.definition().inDaemon().test(arguments)) {
            // the caller runs it in its own process then
            responder.error(ExitCodes.USAGE, "the daemon does not run '" + name + " " + String.join(" ", arguments) + "'"
                    + (command == null ? Suggestions.didYouMean(name, catalog.commands().keySet()) : "") + "; it runs in the calling process");
            return;
        }
        TaskCommand task = injector.getInstance(command.definition().type());
        int exitCode;
        try (PrintWriter out = new PrintWriter(new Events(responder, "out"));
                PrintWriter err = new PrintWriter(new Events(responder, "err"))) {
            try {
                exitCode = task.run(arguments, out, err, request.flag("terminal"));
            }
            catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            }
            catch (Exception e) {
                LOG.error("Command {} {} failed in the daemon", name, arguments, e);
                err.println(name + ": " + e.getMessage());
                exitCode = ExitCodes.INTERNAL_ERROR;
            }
            out.flush();
            err.flush();
        }
        responder.result(exitCode, Map.of());
    }

    /** Text written by the command, sent as an event line on each flush and every few kilobytes. */
    private static final class Events
            extends Writer
    {
        private final Responder responder;
        private final String stream;
        private final StringBuilder pending = new StringBuilder();

        Events(Responder responder, String stream)
        {
            this.responder = responder;
            this.stream = stream;
        }

        @Override
        public void write(char[] characters, int offset, int length)
                throws IOException
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
                throws IOException
        {
            synchronized (responder) {
                send();
            }
        }

        @Override
        public void close()
                throws IOException
        {
            flush();
        }

        private void send()
                throws IOException
        {
            if (pending.length() > 0) {
                String text = pending.toString();
                pending.setLength(0);
                // the caller went away (Ctrl-C): the command goes on, its output is dropped
                responder.event(stream, text);
            }
        }
    }
}
