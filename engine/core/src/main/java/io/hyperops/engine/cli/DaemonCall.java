package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The shared shape of commands that need the daemon: find it, call it, turn its answer into an exit code. */
final class DaemonCall
{
    private DaemonCall() {}

    /** The daemon's client; prints why not and returns empty when there is none or it may not be used. */
    static Optional<ControlClient> require(Path socket, PrintWriter err, int[] exitCode)
    {
        try {
            Optional<ControlClient> client = ControlClient.find(socket);
            if (client.isEmpty()) {
                err.println("hyperops: the daemon is not running (nothing answers on " + socket + "); start it with 'systemctl start hyperops'");
                exitCode[0] = ExitCodes.UNAVAILABLE;
            }
            return client;
        }
        catch (ControlClient.NoPermissionException e) {
            err.println("hyperops: " + e.getMessage());
            exitCode[0] = ExitCodes.NO_PERMISSION;
            return Optional.empty();
        }
    }

    /**
     * The daemon's client when one answers; empty when none does (the caller works without it). A daemon
     * this user may not use is said on {@code err}, with {@link ExitCodes#NO_PERMISSION} in {@code exitCode}.
     */
    static Optional<ControlClient> ifAnswering(Path socket, PrintWriter err, int[] exitCode)
    {
        try {
            return ControlClient.find(socket);
        }
        catch (ControlClient.NoPermissionException e) {
            err.println("hyperops: " + e.getMessage());
            exitCode[0] = ExitCodes.NO_PERMISSION;
            return Optional.empty();
        }
    }

    /** The daemon's client when one answers and may be used; quietly empty otherwise (callers fall back to files). */
    static Optional<ControlClient> ifRunning(Path socket)
    {
        try {
            return ControlClient.find(socket);
        }
        catch (ControlClient.NoPermissionException e) {
            return Optional.empty();
        }
    }

    /** Prints the error of a failed result and returns its exit code, or returns 0 for a good one. */
    static int check(JsonNode result, PrintWriter err)
    {
        if (!result.path("ok").asBoolean()) {
            err.println("hyperops: " + result.path("error").asText());
            err.flush();
        }
        return result.path("exit_code").asInt(ExitCodes.INTERNAL_ERROR);
    }

    static JsonNode call(ControlClient client, String command, Map<String, Object> args)
            throws IOException
    {
        return client.call(command, args, (event, data) -> {});
    }
}
