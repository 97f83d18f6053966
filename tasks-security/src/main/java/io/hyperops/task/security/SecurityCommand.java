package io.hyperops.task.security;

import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.TaskCommand;
import io.hyperops.task.security.polkit.PolkitRules;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code hyperops security polkit-rules [--output FILE]}: prints (or installs) the polkit rules that
 * hold operators to the role model inside libvirt. The groups default to the {@code security-audit}
 * job's settings, so the audit's drift check compares against the same file. Exit 0, 64 for a command
 * line it cannot read, 1 when the file cannot be written.
 */
public final class SecurityCommand
        implements TaskCommand
{
    static final int USAGE = 64;

    private final JobAccess jobs;
    private final EngineFacts engine;

    @Inject
    SecurityCommand(JobAccess jobs, EngineFacts engine)
    {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.engine = requireNonNull(engine, "engine is null");
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
            err.println("security: " + exception.getMessage());
            err.flush();
            return 1;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            err.println("security: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return USAGE;
        });
        int exitCode = commandLine.execute(arguments.toArray(String[]::new));
        out.flush();
        err.flush();
        return exitCode;
    }

    SecurityAuditSettings settings()
    {
        return jobs.settings(SecurityPlugin.AUDIT_JOB, SecurityAuditSettings.class).withEngine(engine);
    }

    /** Writes {@code text} to {@code file} through a temporary file and a rename, readable by all (polkitd reads it). */
    static void writeAtomically(Path file, String text)
            throws IOException
    {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Command(name = "security", mixinStandardHelpOptions = true,
            description = "Security helpers; the posture audit itself is the job: hyperops run-job security-audit.",
            subcommands = PolkitRulesCommand.class)
    static final class Root
            implements Callable<Integer>
    {
        final SecurityCommand command;
        final PrintWriter out;

        Root(SecurityCommand command, PrintWriter out)
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

    @Command(name = "polkit-rules", mixinStandardHelpOptions = true,
            description = "Renders polkit rules for libvirt's fine-grained access control from the role model: operators may start, stop, "
                    + "console into guests and read; admins everything, creating guests too, after authenticating; others nothing. See docs/security.md.")
    static final class PolkitRulesCommand
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--output", description = "Write the rules to this file (atomically, mode 0644), e.g. /etc/polkit-1/rules.d/50-hyperops-libvirt.rules; default: print them.")
        Path output;

        @Option(names = "--operator-group", description = "Operators' group; default: the security-audit job's operator_group.")
        String operatorGroup;

        @Option(names = "--admin-group", description = "Admins' group; default: the security-audit job's admin_group.")
        String adminGroup;

        @Override
        public Integer call()
                throws IOException
        {
            SecurityAuditSettings settings = root.command.settings();
            // the settings record validates the names, as it does for the config file
            SecurityAuditSettings chosen = settings.withGroups(
                    operatorGroup == null ? settings.operatorGroup() : operatorGroup,
                    adminGroup == null ? settings.adminGroup() : adminGroup);
            String rules = new PolkitRules(chosen.operatorGroup(), chosen.adminGroup()).render();
            if (output == null) {
                root.out.print(rules);
            }
            else {
                writeAtomically(output, rules);
                root.out.println("Wrote " + output + " (operators: group " + chosen.operatorGroup() + ", admins: root and group " + chosen.adminGroup()
                        + "); it takes effect with access_drivers = [ \"polkit\" ] in libvirtd.conf and a restart of libvirtd.");
            }
            return 0;
        }
    }
}
