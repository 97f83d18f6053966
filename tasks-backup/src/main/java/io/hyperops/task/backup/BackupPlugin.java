package io.hyperops.task.backup;

import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.spi.TaskService;

import java.time.Duration;
import java.util.List;

/** The backup task: consistent, compressed, encrypted guest backups with verify, restore and retention. */
public final class BackupPlugin
        implements TaskPlugin
{
    public static final String BACKUP_JOB = "backup";
    public static final String VERIFY_JOB = "backup-verify";

    @Override
    public String name()
    {
        return "backup";
    }

    @Override
    public Module module()
    {
        return new BackupModule();
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(
                new JobDefinition(
                        BACKUP_JOB,
                        BackupJob.class,
                        BackupSettings.class,
                        JobDefaults.scheduled("02:00").withJitter(Duration.ofMinutes(30)).withCatchUp(true).withTimeout(Duration.ofHours(6)),
                        "Backs up guests into one compressed, optionally encrypted archive each, verifies it, then prunes old backups"),
                new JobDefinition(
                        VERIFY_JOB,
                        BackupVerifyJob.class,
                        BackupVerifySettings.class,
                        JobDefaults.scheduled("weekly").withCatchUp(true).withTimeout(Duration.ofHours(3)),
                        "Reads stored backups back in full: OpenPGP integrity, decompression, each disk's SHA-256 and qemu-img check of each restored qcow2 disk"));
    }

    @Override
    public List<Class<? extends TaskService>> services()
    {
        return List.of(BackupWarmup.class);
    }

    @Override
    public List<CommandDefinition> commands()
    {
        // 'backup run' in the daemon for an admin when one runs: its JVM has the pipeline compiled
        // (BackupWarmup; docs/backup.md, speed). Not for operators, though the backup job may be theirs:
        // the command picks any guest and skips the job's overlap policy, lock and history, so they
        // ask for the job (run-job backup) or run the command in their own process with their own
        // rights. The others name files (keys, --to, --dir) the daemon's private /tmp and read-only
        // system may not show it, and are quick or seldom: in-process.
        return List.of(new CommandDefinition("backup", BackupCommand.class,
                "Backups: run, list, verify, restore, prune, protect, unprotect, selftest",
                arguments -> !arguments.isEmpty() && arguments.get(0).equals("run"), CommandDefinition.subcommands("list")));
    }
}
