package io.hyperops.engine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hyperops}: the top of the command tree. */
@Command(name = "hyperops",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Operations engine of KVM/libvirt hypervisor hosts: scheduled health checks, metrics, backups, updates, network changes.",
        subcommands = {
                DaemonCommand.class,
                RunJobCommand.class,
                StatusCommand.class,
                JobsCommand.class,
                HistoryCommand.class,
                LogsCommand.class,
                ForecastCommand.class,
                PauseCommand.Pause.class,
                PauseCommand.Resume.class,
                ConfigCommand.class,
                AuditCommand.class,
                CompletionCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the run ended with a warning",
                "2:the run failed",
                "3:the job is already running; not started (or the trigger was skipped)",
                "4:the run timed out",
                "5:the run was interrupted",
                "64:usage error (unknown command, job or option)",
                "69:a needed service is unavailable (no daemon answers, the daemon is at its connection limit, no Java)",
                "70:internal error (see the engine log)",
                "77:permission denied (your role does not allow it)",
                "78:the config file is invalid and no daemon accepted one before; nothing was started",
        })
public final class HyperopsCommand
        implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
