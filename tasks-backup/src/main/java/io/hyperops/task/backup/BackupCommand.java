package io.hyperops.task.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.TaskCommand;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import io.hyperops.task.backup.retention.RetentionDecision;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code hyperops backup run|list|verify|restore|prune|protect|unprotect|selftest}. Settings come from the
 * {@code backup} job's section of the config file. Exit 0 when all went well, 1 when something failed,
 * 64 for a command line it cannot read.
 */
public final class BackupCommand
        implements TaskCommand
{
    static final int FAILED = 1;
    static final int USAGE = 64;
    private static final Logger LOG = LoggerFactory.getLogger(BackupCommand.class);

    private final BackupOperations operations;
    private final RestoreService restores;
    private final JobAccess jobs;

    @Inject
    BackupCommand(BackupOperations operations, RestoreService restores, JobAccess jobs)
    {
        this.operations = requireNonNull(operations, "operations is null");
        this.restores = requireNonNull(restores, "restores is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    @Override
    public int run(List<String> arguments, PrintWriter out, PrintWriter err)
    {
        return run(arguments, out, err, System.console() != null);
    }

    /** @param terminal whether the caller watches a terminal: run, verify and restore then show progress on {@code err} */
    @Override
    public int run(List<String> arguments, PrintWriter out, PrintWriter err, boolean terminal)
    {
        CommandLine commandLine = new CommandLine(new Root(this, out, err, terminal));
        // usage and hints name the command as it is typed: "hyperops backup list"
        commandLine.setCommandName("hyperops " + commandLine.getCommandName());
        // '@FILE' is a guest name here, never a file of arguments: in the daemon it would be read as root
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            // the operator gets the cause and its fix; the stack trace goes to the log
            LOG.debug("backup command failed", exception);
            err.println("backup: " + exception.getMessage());
            err.flush();
            return FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            err.println("backup: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return USAGE;
        });
        return commandLine.execute(arguments.toArray(String[]::new));
    }

    BackupSettings settings()
    {
        return jobs.settings(BackupPlugin.BACKUP_JOB, BackupSettings.class);
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Guest backups: run, list, verify, restore, prune, protect, unprotect, selftest.",
            subcommands = {Run.class, ListBackups.class, Verify.class, Restore.class, Prune.class, Protect.class, Unprotect.class, SelfTest.class})
    static final class Root
            implements Callable<Integer>
    {
        final BackupCommand command;
        final PrintWriter out;
        final PrintWriter err;
        final boolean terminal;

        Root(BackupCommand command, PrintWriter out, PrintWriter err, boolean terminal)
        {
            this.command = command;
            this.out = out;
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public Integer call()
        {
            new CommandLine(this).usage(out);
            return USAGE;
        }

        Progress progress()
        {
            return terminal ? new TerminalProgress(err) : Progress.NONE;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Back up guests now: --all, --running, --stopped or names (default: the job's guests).")
    static final class Run
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--all", description = "Every defined guest.")
        boolean all;

        @Option(names = "--running", description = "Running guests.")
        boolean running;

        @Option(names = "--stopped", description = "Shut-off guests.")
        boolean stopped;

        @Parameters(paramLabel = "VM", arity = "0..*", description = "Guests to back up.")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call()
                throws Exception
        {
            BackupSettings settings = root.command.settings();
            List<String> selection = new ArrayList<>(names);
            if (all) {
                selection.add("all");
            }
            if (running) {
                selection.add("running");
            }
            if (stopped) {
                selection.add("stopped");
            }
            List<GuestResult> results = root.command.operations.run(settings, selection.isEmpty() ? settings.guests() : selection, root.progress(), LOG);
            for (GuestResult result : results) {
                (result.ok() ? root.out : root.err).println((result.ok() ? "OK     " : "FAILED ") + result.vmName() + ": " + result.message());
            }
            root.out.flush();
            root.err.flush();
            return results.stream().allMatch(GuestResult::ok) ? 0 : FAILED;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List backups, newest first.")
    static final class ListBackups
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Parameters(paramLabel = "VM", arity = "0..1", description = "Only this guest's backups.")
        String name;

        @Option(names = "--json", description = "Print the backups as a JSON array, for scripts.")
        boolean json;

        @Override
        public Integer call()
                throws Exception
        {
            BackupStore store = root.command.operations.store(root.command.settings());
            List<Map<String, Object>> entries = new ArrayList<>();
            int listed = 0;
            for (String guest : name == null ? store.guests() : List.of(name)) {
                for (StoredBackup backup : store.list(guest)) {
                    listed++;
                    if (json) {
                        entries.add(asJson(backup));
                        continue;
                    }
                    root.out.printf("%s/%s  %s  %d bytes  %s%s%s  %s%n", guest, backup.id(), backup.manifest().vmState(), backup.manifest().backupSize(),
                            backup.manifest().compression(), backup.manifest().encrypted() ? "+openpgp" : "", backup.isProtected() ? "  protected" : "",
                            backup.verify().map(record -> record.ok() ? "verified " + record.time() : "VERIFY FAILED: " + record.message()).orElse("not verified"));
                }
            }
            if (json) {
                root.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(entries));
            }
            else if (name != null && listed == 0) {
                root.err.println("no backups of '" + name + "' in " + store.root());
            }
            root.out.flush();
            root.err.flush();
            return 0;
        }

        private static Map<String, Object> asJson(StoredBackup backup)
        {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("vm", backup.vmName());
            entry.put("id", backup.id());
            entry.put("time", backup.manifest().timestamp());
            entry.put("vm_state", backup.manifest().vmState());
            entry.put("size_bytes", backup.manifest().backupSize());
            entry.put("compression", backup.manifest().compression());
            entry.put("encrypted", backup.manifest().encrypted());
            entry.put("protected", backup.isProtected());
            entry.put("archive", backup.archive().toString());
            entry.put("verify", backup.verify().map(record -> {
                Map<String, Object> verify = new LinkedHashMap<>();
                verify.put("time", record.time());
                verify.put("ok", record.ok());
                verify.put("message", record.message());
                return verify;
            }).orElse(null));
            return entry;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Read archives back in full: OpenPGP integrity, decompression, each disk's SHA-256, qemu-img check of each restored qcow2 disk.")
    static final class Verify
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--all", description = "Every backup of every guest.")
        boolean all;

        @Parameters(index = "0", arity = "0..1", paramLabel = "VM", description = "The guest.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "One backup id (default: all of the guest's).")
        String id;

        @Option(names = "--secret-key", description = "Armored secret key (default: the job's secret_key_file, else its gpg_home through gpg).")
        Path secretKey;

        @Option(names = "--passphrase-file", description = "The key's passphrase, first line, also for gpg_home (default: the job's passphrase_file).")
        Path passphraseFile;

        @Override
        public Integer call()
                throws Exception
        {
            if (!all && name == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "name a guest or give --all");
            }
            BackupSettings settings = root.command.settings();
            BackupStore store = root.command.operations.store(settings);
            Optional<DecryptionKeys> keys = keys(settings, secretKey, passphraseFile);
            boolean ok = true;
            int verified = 0;
            for (String guest : all ? store.guests() : List.of(name)) {
                List<StoredBackup> backups = id == null ? store.list(guest) : List.of(store.find(guest, id));
                if (backups.isEmpty() && !all) {
                    // nothing verified is not "verified": a script must not read a typo as a pass
                    root.err.println("hyperops: no backups of '" + guest + "' in " + store.root() + " (hyperops backup list shows what there is)");
                    root.err.flush();
                    return FAILED;
                }
                verified += backups.size();
                for (StoredBackup backup : backups) {
                    try {
                        VerifyRecord record = root.command.operations.verify(store, backup, keys, settings.verifyQemuImgCheck(), root.progress());
                        (record.ok() ? root.out : root.err).println((record.ok() ? "OK     " : "FAILED ") + guest + "/" + backup.id() + ": " + record.message());
                        ok &= record.ok();
                    }
                    catch (IllegalStateException e) {
                        root.err.println("NOT VERIFIED " + guest + "/" + backup.id() + ": " + e.getMessage());
                        ok = false;
                    }
                }
            }
            if (verified == 0) {
                root.err.println("hyperops: no backups in " + store.root());
                ok = false;
            }
            root.out.flush();
            root.err.flush();
            return ok ? 0 : FAILED;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a guest from a backup, in place (guest shut off) or --as a new guest.")
    static final class Restore
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Parameters(index = "0", paramLabel = "VM", description = "The guest whose backup to restore.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", defaultValue = "latest", description = "Backup id, or latest (default).")
        String id;

        @Option(names = "--as", paramLabel = "NEW_NAME", description = "Restore as a new guest: new name, UUID, MAC addresses and disk files.")
        String newName;

        @Option(names = "--to", paramLabel = "DIR", description = "Folder for the restored disks (default: beside the original disks).")
        Path to;

        @Option(names = "--secret-key", description = "Armored secret key (default: the job's secret_key_file, else its gpg_home through gpg).")
        Path secretKey;

        @Option(names = "--passphrase-file", description = "The key's passphrase, first line, also for gpg_home (default: the job's passphrase_file).")
        Path passphraseFile;

        @Override
        public Integer call()
                throws Exception
        {
            BackupSettings settings = root.command.settings();
            String restored = root.command.restores.restore(root.command.operations.store(settings),
                    new RestoreRequest(name, id, Optional.ofNullable(newName), Optional.ofNullable(to)),
                    keys(settings, secretKey, passphraseFile), settings.threadIoPriority(), settings.throttle(), root.progress(), LOG);
            root.out.println("Restored " + restored + " from " + name + "/" + id);
            root.out.flush();
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Apply the retention rules now; --dry-run shows what would go and why.")
    static final class Prune
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--dry-run", description = "Only show the decisions.")
        boolean dryRun;

        @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these guests (default: all).")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call()
                throws Exception
        {
            BackupSettings settings = root.command.settings();
            BackupStore store = root.command.operations.store(settings);
            for (String guest : names.isEmpty() ? store.guests() : names) {
                for (RetentionDecision decision : root.command.operations.prune(store, settings, guest, dryRun, LOG)) {
                    root.out.printf("%s %s/%s: %s%n", decision.keep() ? "keep  " : (dryRun ? "would prune" : "pruned"), guest, decision.backup().id(), decision.reason());
                }
            }
            root.out.flush();
            return 0;
        }
    }

    @Command(name = "protect", mixinStandardHelpOptions = true, description = "Keep a backup from every pruning (writes .protected in its folder).")
    static final class Protect
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Parameters(paramLabel = "ID", description = "Backup id, or VM/ID when ids repeat across guests.")
        String id;

        @Override
        public Integer call()
                throws Exception
        {
            return setProtection(root, id, true);
        }
    }

    @Command(name = "unprotect", mixinStandardHelpOptions = true, description = "Let retention prune a backup again.")
    static final class Unprotect
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Parameters(paramLabel = "ID", description = "Backup id, or VM/ID when ids repeat across guests.")
        String id;

        @Override
        public Integer call()
                throws Exception
        {
            return setProtection(root, id, false);
        }
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    private static int setProtection(Root root, String id, boolean protect)
            throws Exception
    {
        BackupStore store = root.command.operations.store(root.command.settings());
        StoredBackup backup = store.findById(id);
        // under the guest's lock: a prune that listed the backup before the marker must not delete it after
        try (GuestLock lock = GuestLock.acquire(store.root(), backup.vmName())) {
            store.setProtected(store.find(backup.vmName(), backup.id()), protect);
        }
        root.out.println((protect ? "Protected " : "Unprotected ") + backup.vmName() + "/" + backup.id());
        root.out.flush();
        return 0;
    }

    static Optional<DecryptionKeys> keys(BackupSettings settings, Path secretKey, Path passphraseFile)
    {
        Optional<Path> passphrase = Optional.ofNullable(passphraseFile).or(() -> Optional.ofNullable(settings.passphraseFile()));
        if (secretKey == null) {
            return settings.decryptionKeys(passphrase);
        }
        return Optional.of(SecretKeys.load(secretKey, passphrase));
    }

    @Command(name = "selftest", mixinStandardHelpOptions = true,
            description = "Archive a generated disk with the configured compression and a throwaway OpenPGP key, read it back and restore it: can this host back up?")
    static final class SelfTest
            implements Callable<Integer>
    {
        @ParentCommand
        Root root;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to work, e.g. the backup folder's file system (default: the temporary folder).")
        Path folder = Path.of(System.getProperty("java.io.tmpdir"));

        @Option(names = "--size", paramLabel = "MIB", description = "Size of the generated disk in MiB (default: ${DEFAULT-VALUE}).")
        int mebibytes = 64;

        @Override
        public Integer call()
                throws Exception
        {
            BackupSelfTest.run(root.command.settings(), folder, mebibytes, root.out);
            return 0;
        }
    }
}
