package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops status}: the daemon's state at a glance. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The daemon: up since, config file and its last edit, running jobs with progress, paused jobs, recent failures.")
final class StatusCommand
        implements Callable<Integer>
{
    @Mixin
    EngineOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int[] exitCode = {ExitCodes.SUCCESS};
        Optional<ControlClient> daemon = DaemonCall.require(options.controlSocket(), err, exitCode);
        if (daemon.isEmpty()) {
            return exitCode[0];
        }
        JsonNode result = DaemonCall.call(daemon.get(), "status", Map.of());
        if (!result.path("ok").asBoolean()) {
            return DaemonCall.check(result, err);
        }
        JsonNode status = result.path("data");
        if (json) {
            out.println(ControlClient.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status));
            out.flush();
            return ExitCodes.SUCCESS;
        }
        out.printf("hyperops %s, pid %s, up since %s%n", status.path("version").asText(), status.path("pid").asText(), status.path("up_since").asText());
        JsonNode reload = status.path("last_reload");
        out.printf("config: %s%s%n", status.path("config_file").asText(), reload.isNull() || reload.isMissingNode() ? " (not edited since start)"
                : reload.path("accepted").asBoolean() ? " (last edit accepted " + reload.path("time").asText() + ")"
                : " (last edit REFUSED " + reload.path("time").asText() + "; the previous config is in force; see 'hyperops config check')");
        out.println("running: " + (status.path("running").isEmpty() ? "none" : ""));
        for (JsonNode run : status.path("running")) {
            JsonNode progress = run.path("progress");
            String done = progress.isObject()
                    ? " - " + progress.path("message").asText() + (progress.path("total").asLong() > 0 ? " (" + progress.path("done").asLong() * 100 / progress.path("total").asLong() + "%)" : "")
                    : "";
            out.printf("  %s (job %s, since %s)%s%n", run.path("run_id").asText(), run.path("job").asText(), run.path("start").asText(), done);
        }
        out.println("paused: " + (status.path("paused").isEmpty() ? "none" : String.join(", ", ControlClient.mapper().convertValue(status.path("paused"), String[].class))));
        out.println("recent failures: " + (status.path("recent_failures").isEmpty() ? "none" : ""));
        for (JsonNode failure : status.path("recent_failures")) {
            out.printf("  %s %s: %s%n", failure.path("run_id").asText(), failure.path("outcome").asText(), failure.path("summary").asText());
        }
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
