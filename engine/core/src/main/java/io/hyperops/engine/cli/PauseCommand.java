package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops pause JOB} and {@code hyperops resume JOB} (admin): stop or restart a job's schedule. */
final class PauseCommand
{
    private PauseCommand() {}

    static int send(EngineOptions options, CommandSpec spec, String command, String job)
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int[] exitCode = {ExitCodes.SUCCESS};
        Optional<ControlClient> daemon = DaemonCall.require(options.controlSocket(), err, exitCode);
        if (daemon.isEmpty()) {
            return exitCode[0];
        }
        JsonNode result = DaemonCall.call(daemon.get(), command, Map.of("job", job));
        if (result.path("ok").asBoolean()) {
            JsonNode data = result.path("data");
            out.println(data.path("paused").asBoolean() ? "job " + job + " paused: its schedule does not fire until 'hyperops resume " + job + "' (run-job still works)"
                    : "job " + job + " resumed; next fire " + data.path("next_fire").asText());
            out.flush();
        }
        return DaemonCall.check(result, err);
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop a job's schedule from firing, across daemon restarts (admin).")
    static final class Pause
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JOB")
        String job;

        @Override
        public Integer call()
                throws Exception
        {
            return send(options, spec, "pause", job);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let a paused job's schedule fire again (admin).")
    static final class Resume
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JOB")
        String job;

        @Override
        public Integer call()
                throws Exception
        {
            return send(options, spec, "resume", job);
        }
    }
}
