package io.hyperops.task.health.preflight;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.PreflightOperation;
import io.hyperops.spi.PreflightReport;
import io.hyperops.spi.TaskCommand;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code hyperops preflight OPERATION ...}: runs every check of the operation, prints each with its
 * fix, then a summary. Exit code 0 when all pass (OK or INFO), 1 with warnings, 2 with errors, as the
 * seed's script; 64 for a command line it cannot read.
 */
public final class PreflightCommand
        implements TaskCommand
{
    static final int USAGE = 64;

    private final Preflight preflight;
    private final HostPaths paths;
    private final Optional<BackupStorage> backups;

    @Inject
    PreflightCommand(HostPreflight preflight, HostPaths paths, Optional<BackupStorage> backups)
    {
        this.preflight = requireNonNull(preflight, "preflight is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.backups = requireNonNull(backups, "backups is null");
    }

    @Override
    public int run(List<String> arguments, PrintWriter out, PrintWriter err)
    {
        Root root = new Root(this, out);
        CommandLine commandLine = new CommandLine(root);
        // usage and hints name the command as it is typed: "hyperops backup list"
        commandLine.setCommandName("hyperops " + commandLine.getCommandName());
        // as every hyperops command line: '@FILE' is an argument, never a file of arguments
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            err.println("preflight: " + exception.getMessage());
            return USAGE;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            err.println("preflight: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return USAGE;
        });
        return commandLine.execute(arguments.toArray(String[]::new));
    }

    int report(PreflightOperation operation, boolean json, PrintWriter out)
    {
        PreflightReport report = preflight.check(operation);
        out.print(json ? PreflightText.json(report) : PreflightText.text(report));
        out.flush();
        return exitCode(report.status());
    }

    static int exitCode(CheckStatus status)
    {
        return switch (status) {
            case OK, INFO -> 0;
            case WARN -> 1;
            case ERROR -> 2;
        };
    }

    @Command(name = "preflight", mixinStandardHelpOptions = true,
            description = "Checks before a VM operation; every check runs, then a summary with the fix for each failure. Exit 0 OK, 1 WARN, 2 ERROR.",
            subcommands = {VmCreate.class, VmStart.class, Backup.class, Snapshot.class, IsoDownload.class, General.class})
    static final class Root
            implements Callable<Integer>
    {
        final PreflightCommand command;
        final PrintWriter out;

        Root(PreflightCommand command, PrintWriter out)
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

    abstract static class Operation
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        abstract PreflightOperation operation();

        @Override
        public Integer call()
        {
            return root.command.report(operation(), json, root.out);
        }
    }

    @Command(name = "vm-create", mixinStandardHelpOptions = true, description = "KVM, libvirt, disk space, unique name, memory, CPUs, ISO and its checksum.")
    static final class VmCreate
            extends Operation
    {
        @Option(names = "--name", required = true, description = "Name of the new VM.")
        String name;

        @Option(names = "--disk", defaultValue = "20G", description = "Disk size, e.g. 20G (default), 512M, 1T; a bare number is GB.")
        String disk;

        @Option(names = "--memory", defaultValue = "2048", description = "Memory in MiB (default 2048).")
        long memoryMib;

        @Option(names = "--cpus", defaultValue = "2", description = "vCPUs (default 2).")
        int cpus;

        @Option(names = "--iso", description = "Installation ISO.")
        Path iso;

        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.VmCreate(name, Sizes.parseBytes(disk), memoryMib, cpus, Optional.ofNullable(iso));
        }
    }

    @Command(name = "vm-start", mixinStandardHelpOptions = true, description = "KVM, libvirt, the VM exists and is stopped, memory, disk images.")
    static final class VmStart
            extends Operation
    {
        @Parameters(paramLabel = "VM", description = "The VM to start.")
        String name;

        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.VmStart(name);
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Space for memory plus disk sizes plus 1 GB at the backup folder.")
    static final class Backup
            extends Operation
    {
        @Parameters(paramLabel = "VM", arity = "0..*", description = "VMs to back up; all when none is named.")
        List<String> names = List.of();

        @Option(names = "--target", description = "Backup folder (default: the backup job's backup_dir).")
        Path target;

        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.Backup(names, target != null ? target
                    : root.command.backups.map(BackupStorage::root).orElse(root.command.paths.dataDir().resolve("backups")));
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "The VM exists; warns at 10 or more snapshots.")
    static final class Snapshot
            extends Operation
    {
        @Parameters(paramLabel = "VM", description = "The VM to snapshot.")
        String name;

        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.Snapshot(name);
        }
    }

    @Command(name = "iso-download", mixinStandardHelpOptions = true, description = "At least 5 GB (or --size) free at the ISO folder, and the network.")
    static final class IsoDownload
            extends Operation
    {
        @Option(names = "--size", defaultValue = "5G", description = "Size of the download (default 5G).")
        String size;

        @Option(names = "--target", description = "ISO folder (default: <data_dir>/isos).")
        Path target;

        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.IsoDownload(Sizes.parseBytes(size), target == null ? root.command.paths.dataDir().resolve("isos") : target);
        }
    }

    @Command(name = "general", mixinStandardHelpOptions = true, description = "KVM, libvirt, 20 GB free, memory.")
    static final class General
            extends Operation
    {
        @Override
        PreflightOperation operation()
        {
            return new PreflightOperation.General();
        }
    }
}
