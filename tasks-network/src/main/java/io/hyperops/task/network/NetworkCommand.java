package io.hyperops.task.network;

import io.hyperops.spi.JobAccess;
import io.hyperops.spi.TaskCommand;
import io.hyperops.task.network.NetworkChange.Addressing;
import jakarta.inject.Inject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code hyperops network list|bridge create|bridge remove|mtu set|confirm}. Changes are validated,
 * planned ({@code --dry-run} stops there), applied, and kept only when the probes pass or an operator
 * confirms within the window. Exit codes: 0 listed, planned or kept; 1 nothing to confirm; 2 refused;
 * 3 reverted; 4 the revert failed; 5 could not run (no {@code ip}, no permission), before anything
 * changed; 64 a command line it cannot read.
 */
public final class NetworkCommand
        implements TaskCommand
{
    static final int USAGE = 64;
    static final int NOTHING_TO_CONFIRM = 1;
    static final int COULD_NOT_RUN = 5;

    private final InterfaceDiscovery discovery;
    private final NetworkChanges changes;
    private final JobAccess jobs;

    @Inject
    NetworkCommand(InterfaceDiscovery discovery, NetworkChanges changes, JobAccess jobs)
    {
        this.discovery = requireNonNull(discovery, "discovery is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
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
            err.println("network: " + describe(exception));
            err.flush();
            return COULD_NOT_RUN;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            err.println("network: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return USAGE;
        });
        int exitCode = commandLine.execute(arguments.toArray(String[]::new));
        out.flush();
        return exitCode;
    }

    /** The file exceptions name only their path; say what is wrong with it. */
    private static String describe(Exception exception)
    {
        if (exception instanceof java.nio.file.NoSuchFileException missing) {
            return missing.getFile() + " does not exist" + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
        }
        if (exception instanceof java.nio.file.AccessDeniedException denied) {
            return "no permission for " + denied.getFile() + "; run it as root (sudo)";
        }
        return exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
    }

    NetworkSettings settings()
    {
        return jobs.settings(NetworkPlugin.CHECK_JOB, NetworkSettings.class);
    }

    int change(NetworkChange change, boolean dryRun, boolean json, List<String> probes, PrintWriter out)
            throws Exception
    {
        NetworkSettings settings = settings();
        ChangeReport report = dryRun ? changes.plan(change, settings) : changes.apply(change, settings, probes, out);
        out.print(json ? NetworkText.json(report) : NetworkText.report(report, settings.networkdDir().toString()));
        return report.outcome().exitCode();
    }

    @Command(name = "network", mixinStandardHelpOptions = true,
            description = "Lists interfaces; creates and removes bridges and sets MTUs with a confirmation window that reverts what cuts the host off.",
            subcommands = {ListCommand.class, Bridge.class, Mtu.class, Confirm.class})
    static final class Root
            implements Callable<Integer>
    {
        final NetworkCommand command;
        final PrintWriter out;

        Root(NetworkCommand command, PrintWriter out)
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

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Interfaces with state, speed, MTU and the driver's MTU range, addresses, bridge membership.")
    static final class ListCommand
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--all", description = "Include lo, virbr*, br-*, docker*, veth*, tap*, tun*.")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call()
                throws Exception
        {
            HostNetwork host = root.command.discovery.read();
            List<NetworkInterface> shown = host.interfaces().stream().filter(iface -> all || !iface.hasVirtualName()).toList();
            root.out.print(json ? NetworkText.json(shown, host) : NetworkText.table(shown, host));
            return 0;
        }
    }

    /** Options every change shares. */
    abstract static class Change
            implements Callable<Integer>
    {
        @Option(names = "--dry-run", description = "Print the plan (networkd files, live ip commands, NixOS snippet) and change nothing.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the outcome as JSON.")
        boolean json;

        @Option(names = "--probe", paramLabel = "IP", description = "Also require this address to answer within the window (repeatable).")
        List<String> probes = List.of();

        abstract Root root();

        abstract NetworkChange change();

        @Override
        public Integer call()
                throws Exception
        {
            return root().command.change(change(), dryRun, json, probes, root().out);
        }
    }

    @Command(name = "bridge", mixinStandardHelpOptions = true, description = "Create or remove a bridge.", subcommands = {BridgeCreate.class, BridgeRemove.class})
    static final class Bridge
    {
        @ParentCommand
        Root root;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Put IFACE under a new bridge with the given MTU and addressing.")
    static final class BridgeCreate
            extends Change
    {
        @ParentCommand
        Bridge bridge;

        @Option(names = "--iface", required = true, description = "The interface to enslave.")
        String iface;

        @Option(names = "--name", defaultValue = "br0", description = "Name of the new bridge (default br0).")
        String name;

        @Option(names = "--mtu", defaultValue = "standard", description = "standard (1500, default), performance (9000) or a number; 1450 suits VLANs and tunnels.")
        String mtu;

        @ArgGroup(exclusive = true)
        AddressingOptions addressing;

        static final class AddressingOptions
        {
            @Option(names = "--dhcp", description = "Address by DHCP (the default).")
            boolean dhcp;

            @ArgGroup(exclusive = false)
            StaticAddress fixed;
        }

        static final class StaticAddress
        {
            @Option(names = "--address", required = true, paramLabel = "CIDR", description = "Static address, e.g. 192.168.1.10/24.")
            String address;

            @Option(names = "--gateway", paramLabel = "IP", description = "Default gateway, inside the address's network.")
            String gateway;
        }

        @Override
        Root root()
        {
            return bridge.root;
        }

        @Override
        NetworkChange change()
        {
            Addressing chosen = addressing == null || addressing.fixed == null
                    ? Addressing.dhcp()
                    : new Addressing(Optional.of(addressing.fixed.address), Optional.ofNullable(addressing.fixed.gateway));
            return new NetworkChange.BridgeCreate(iface, name, mtu, chosen);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a bridge; with one port, its addresses go back to that port.")
    static final class BridgeRemove
            extends Change
    {
        @ParentCommand
        Bridge bridge;

        @Parameters(paramLabel = "BRIDGE")
        String name;

        @Override
        Root root()
        {
            return bridge.root;
        }

        @Override
        NetworkChange change()
        {
            return new NetworkChange.BridgeRemove(name);
        }
    }

    @Command(name = "mtu", mixinStandardHelpOptions = true, description = "Set an MTU.", subcommands = MtuSet.class)
    static final class Mtu
    {
        @ParentCommand
        Root root;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set the MTU of IFACE (and of its ports, when it is a bridge).")
    static final class MtuSet
            extends Change
    {
        @ParentCommand
        Mtu mtu;

        @Parameters(index = "0", paramLabel = "IFACE")
        String iface;

        @Parameters(index = "1", paramLabel = "MTU", description = "standard, performance or a number.")
        String value;

        @Override
        Root root()
        {
            return mtu.root;
        }

        @Override
        NetworkChange change()
        {
            return new NetworkChange.MtuSet(iface, value);
        }
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true, description = "Keep the change that is waiting for confirmation.")
    static final class Confirm
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Override
        public Integer call()
                throws Exception
        {
            Optional<ChangeReport> report = root.command.changes.confirm();
            if (report.isEmpty()) {
                root.out.println("No network change is waiting for confirmation.");
                return NOTHING_TO_CONFIRM;
            }
            root.out.println(report.get().message());
            return report.get().outcome().exitCode();
        }
    }
}
