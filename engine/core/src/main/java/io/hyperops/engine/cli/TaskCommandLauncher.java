package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperops.engine.Engine;
import io.hyperops.engine.audit.AuditTrail;
import io.hyperops.engine.config.AcceptedConfig;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.plugin.JobCatalog;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.TaskCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * Puts a task's command on the {@code hyperops} command line. The engine reads only {@code --config};
 * everything else, {@code --help} included, goes to the task, which parses its own arguments.
 */
final class TaskCommandLauncher
        implements Callable<Integer>
{
    private final JobCatalog catalog;
    private final JobCatalog.RegisteredCommand command;
    private CommandSpec spec;

    private TaskCommandLauncher(JobCatalog catalog, JobCatalog.RegisteredCommand command)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.command = requireNonNull(command, "command is null");
    }

    static CommandSpec spec(JobCatalog catalog, JobCatalog.RegisteredCommand command)
    {
        TaskCommandLauncher launcher = new TaskCommandLauncher(catalog, command);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(launcher);
        spec.name(command.definition().name());
        spec.usageMessage().description(command.definition().description() + " (task " + command.task() + "; '" + command.definition().name() + " --help' for its options)");
        spec.addOption(OptionSpec.builder("--config")
                .paramLabel("FILE")
                .type(Path.class)
                .defaultValue(ConfigLoader.DEFAULT_FILE.toString())
                .description("Config file (default: ${DEFAULT-VALUE}).")
                .build());
        if (command.definition().inDaemon() != CommandDefinition.IN_PROCESS) {
            spec.addOption(OptionSpec.builder("--local")
                    .arity("0")
                    .type(boolean.class)
                    .description("Run in this process even when a daemon runs (by default the daemon runs it for an admin).")
                    .build());
        }
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").type(String[].class).paramLabel("ARGS").description("The task's own arguments.").build());
        spec.parser().unmatchedOptionsArePositionalParams(true);
        launcher.spec = spec;
        return spec;
    }

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = spec.findOption("--config").getValue();
        String[] values = spec.positionalParameters().get(0).getValue();
        List<String> arguments = values == null ? List.of() : List.of(values);
        EngineConfig config;
        ConfigLoader loader = new ConfigLoader(JsonMapper.create(), catalog);
        Optional<ConfigException> refused = Optional.empty();
        try {
            config = loader.load(file);
        }
        catch (ConfigException e) {
            // An edit the daemon refused: an invocation that only reads goes on with the config last accepted,
            // as the daemon does; one that changes things must not act on a config the operator did not mean.
            boolean readOnly = command.definition().readOnly().test(arguments);
            Optional<EngineConfig> accepted = readOnly ? AcceptedConfig.loadFor(loader, file, problem -> err.println("hyperops: " + problem)) : Optional.empty();
            if (accepted.isEmpty()) {
                err.println(e.getMessage());
                if (!readOnly && AcceptedConfig.find(file).isPresent()) {
                    err.println("hyperops: this command changes things, so it does not run on the config last accepted; fix the file first");
                }
                return ExitCodes.CONFIG;
            }
            err.println(EngineOptions.usingAccepted(file));
            config = accepted.get();
            refused = Optional.of(e);
        }
        if (command.definition().inDaemon().test(arguments) && !Boolean.TRUE.equals(spec.findOption("--local").getValue())) {
            Optional<Integer> inDaemon = throughDaemon(config, arguments, out, err);
            if (inDaemon.isPresent()) {
                return inDaemon.get();
            }
        }
        try (Engine engine = Engine.create(config, catalog, Clock.systemDefaultZone())) {
            // what the engine's facts tell the task (health's config check): the file's edit was refused
            refused.ifPresent(problem -> engine.instance(CurrentConfig.class).refuse(problem.problems(), Instant.now()));
            TaskCommand task = engine.instance(command.definition().type());
            int exitCode = task.run(arguments, out, err);
            out.flush();
            auditInProcess(engine.instance(AuditTrail.class), arguments, exitCode, err);
            err.flush();
            return exitCode;
        }
    }

    /**
     * What root runs in its own process (a restore, a prune, --local) goes on the audit trail as the
     * daemon's requests do. Other users cannot write the trail, nor the backups, disks and state a
     * command changes, so only root's runs are recorded; one that cannot be is said, not hidden.
     */
    private void auditInProcess(AuditTrail audit, List<String> arguments, int exitCode, PrintWriter err)
    {
        long uid;
        try {
            uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        }
        catch (IOException | RuntimeException e) {
            return;
        }
        if (uid != 0) {
            return;
        }
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("command", "task");
        asked.put("args", Map.of("name", command.definition().name(), "arguments", arguments, "in_process", true));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("uid", uid);
        line.put("user", System.getProperty("user.name"));
        line.put("role", "admin");
        line.put("request", asked);
        line.put("outcome", exitCode == 0 ? "ok" : "exit " + exitCode);
        try {
            audit.append(line);
        }
        catch (RuntimeException e) {
            err.println("hyperops: warning: this command is not on the audit trail: " + e.getMessage());
        }
    }

    /**
     * Has a running daemon run the command, its output streamed back: the daemon's JVM is warm and
     * holds the engine's connections. Empty, to run it in this process as before, when no daemon
     * answers or it does not run commands for this caller (not an admin) or of this kind (an older daemon).
     */
    private Optional<Integer> throughDaemon(EngineConfig config, List<String> arguments, PrintWriter out, PrintWriter err)
            throws IOException
    {
        Optional<ControlClient> daemon = DaemonCall.ifRunning(config.engine().controlSocket());
        if (daemon.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", command.definition().name());
        request.put("arguments", arguments);
        request.put("terminal", System.console() != null);
        // the daemon runs it only on the config it runs on, not on another file given with --config
        request.put("config", config.file().toAbsolutePath().toString());
        JsonNode result = daemon.get().call("task", request, (event, data) -> {
            PrintWriter target = event.equals("err") ? err : out;
            target.print(data.asText());
            target.flush();
        });
        if (!result.path("ok").asBoolean()) {
            // Refusals only: not an admin, not this command or config, or a daemon from before task
            // requests. The command's own failures come back as a result and are never run twice.
            int exitCode = result.path("exit_code").asInt(ExitCodes.INTERNAL_ERROR);
            if (exitCode == ExitCodes.NO_PERMISSION || exitCode == ExitCodes.UNAVAILABLE
                    || (exitCode == ExitCodes.USAGE && result.path("error").asText().startsWith("unknown command 'task'"))) {
                return Optional.empty();
            }
            return Optional.of(DaemonCall.check(result, err));
        }
        out.flush();
        err.flush();
        return Optional.of(result.path("exit_code").asInt(ExitCodes.INTERNAL_ERROR));
    }
}
