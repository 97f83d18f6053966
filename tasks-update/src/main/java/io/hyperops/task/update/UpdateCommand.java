package io.hyperops.task.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperops.spi.JobRunner;
import io.hyperops.spi.RunReport;
import io.hyperops.spi.TaskCommand;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code hyperops update check | apply | rollback | status | history}. Check, apply and rollback run
 * the jobs {@code update-check}, {@code update} and {@code update-rollback} through the engine, so they
 * are locked against the daemon's runs and recorded in history like them; status and history read the
 * status file and the update's state. Exit codes are the run's (0 success, 1 warning, 2 failed, 3
 * skipped because a run is already going); 64 for a command line it cannot read.
 */
public final class UpdateCommand
        implements TaskCommand
{
    static final int USAGE = 64;
    private static final Duration WAIT = Duration.ofHours(12);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JobRunner jobs;
    private final UpdateStateStore state;
    private final UpdateChecker checker;

    @Inject
    UpdateCommand(JobRunner jobs, UpdateStateStore state, UpdateChecker checker)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.state = requireNonNull(state, "state is null");
        this.checker = requireNonNull(checker, "checker is null");
    }

    @Override
    public int run(List<String> arguments, PrintWriter out, PrintWriter err)
    {
        CommandLine commandLine = new CommandLine(new Root(this, out));
        // usage and hints name the command as it is typed: "hyperops backup list"
        commandLine.setCommandName("hyperops " + commandLine.getCommandName());
        // as every hyperops command line: '@FILE' is an argument, never a file of arguments
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            err.println("update: " + exception.getMessage());
            err.flush();
            return USAGE;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            err.println("update: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return USAGE;
        });
        int code = commandLine.execute(arguments.toArray(String[]::new));
        out.flush();
        return code;
    }

    int runJob(String job, PrintWriter out)
            throws InterruptedException
    {
        RunReport report = jobs.runAndWait(job, WAIT);
        out.println(report.outcome().jsonName().toUpperCase(java.util.Locale.ROOT) + " " + report.summary());
        out.println("(run " + report.runId() + "; hyperops logs --job " + job + ")");
        return report.outcome().exitCode();
    }

    int checkAsJson(PrintWriter out)
            throws InterruptedException, IOException
    {
        RunReport report = jobs.runAndWait(UpdatePlugin.CHECK_JOB, WAIT);
        ObjectNode result = MAPPER.createObjectNode();
        result.put("outcome", report.outcome().jsonName());
        result.put("summary", report.summary());
        result.put("run_id", report.runId());
        result.set("status", Files.exists(checker.file()) ? MAPPER.readTree(checker.file().toFile()) : NullNode.getInstance());
        out.println(MAPPER.writeValueAsString(result));
        return report.outcome().exitCode();
    }

    int status(boolean json, PrintWriter out)
            throws IOException
    {
        if (json) {
            if (!Files.exists(checker.file())) {
                out.println("{}");
                return 0;
            }
            out.println(Files.readString(checker.file()));
            return 0;
        }
        Optional<UpdateStatus> status = checker.read();
        if (status.isEmpty()) {
            out.println("No check yet (" + checker.file() + " does not exist); run: hyperops update check");
            return 0;
        }
        UpdateStatus current = status.get();
        out.println("Last check:        " + current.lastCheck());
        // with every provider failing, "no" would be a claim nobody checked
        out.println("Updates available: " + (current.updatesAvailable() ? "yes" : current.providers().isEmpty() && !current.problems().isEmpty() ? "unknown (the check failed)" : "no"));
        if (current.localCommit() != null) {
            out.println("Config repository: " + current.localCommit() + " (remote " + current.remoteCommit() + ")");
        }
        for (ProviderCheck check : current.providers()) {
            out.println("  " + check.provider() + " (" + check.type() + "): " + check.summary() + (check.blocked() == null ? "" : "\n    BLOCKED: " + check.blocked()));
            Object commits = check.details().get("incoming_commits");
            if (commits instanceof List<?> list) {
                for (Object commit : list) {
                    if (commit instanceof Map<?, ?> map) {
                        out.println("    " + shortId(String.valueOf(map.get("commit"))) + " " + map.get("subject"));
                    }
                }
            }
        }
        current.problems().forEach(problem -> out.println("  PROBLEM: " + problem));
        if (current.lastUpdate() != null) {
            out.println("Last update:       " + line(current.lastUpdate()));
        }
        return 0;
    }

    int history(int limit, PrintWriter out)
    {
        List<UpdateRecord> records = state.read().history();
        if (records.isEmpty()) {
            out.println("No update yet.");
        }
        records.stream().limit(limit).forEach(record -> out.println(line(record)));
        return 0;
    }

    private static String shortId(String commit)
    {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static String line(UpdateRecord record)
    {
        return record.started() + "  " + record.action() + "  " + record.outcome() + "  " + record.runId() + "  " + record.summary();
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Updates of the host: check for updates, apply them behind a health gate, roll back, show status and history.",
            subcommands = {Check.class, Apply.class, Rollback.class, Status.class, History.class})
    static final class Root
            implements Callable<Integer>
    {
        final UpdateCommand command;
        final PrintWriter out;

        Root(UpdateCommand command, PrintWriter out)
        {
            this.command = command;
            this.out = out;
        }

        @Override
        public Integer call()
        {
            new CommandLine(this).usage(out);
            return USAGE;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Looks for updates now (job update-check) and shows them.")
    static final class Check
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--json", description = "Print one JSON object: the run (outcome, summary, run_id) and update-status.json as it is (status).")
        boolean json;

        @Override
        public Integer call()
                throws Exception
        {
            if (json) {
                return root.command.checkAsJson(root.out);
            }
            int code = root.command.runJob(UpdatePlugin.CHECK_JOB, root.out);
            root.command.status(false, root.out);
            return code;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Backs up, applies every update, runs the health gate; rolls back if it fails (job update).")
    static final class Apply
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Override
        public Integer call()
                throws Exception
        {
            return root.command.runJob(UpdatePlugin.UPDATE_JOB, root.out);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Rolls the last applied update back, in reverse order (job update-rollback).")
    static final class Rollback
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Override
        public Integer call()
                throws Exception
        {
            return root.command.runJob(UpdatePlugin.ROLLBACK_JOB, root.out);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows update-status.json: the last check and the last update.")
    static final class Status
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--json", description = "Print update-status.json as it is.")
        boolean json;

        @Override
        public Integer call()
                throws IOException
        {
            return root.command.status(json, root.out);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Lists updates and rollbacks, newest first.")
    static final class History
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--limit", defaultValue = "20", description = "How many to show (default 20).")
        int limit;

        @Override
        public Integer call()
        {
            return root.command.history(limit, root.out);
        }
    }
}
