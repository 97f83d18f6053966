package io.hyperops.task.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.Description;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.TaskPlugin;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.ManifestJson;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin as the engine loads it, its strict bindings, its settings and the {@code hyperops backup} command on a store. */
final class TestBackupPlugin
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path folder;

    @Test
    void serviceLoaderFindsThePlugin()
    {
        List<TaskPlugin> plugins = ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertThat(plugins).singleElement().isInstanceOf(BackupPlugin.class);
        assertThat(plugins.get(0).name()).isEqualTo("backup");
    }

    @Test
    void offersItsJobsWithTheSeedsSchedule()
    {
        List<JobDefinition> jobs = new BackupPlugin().jobs();

        assertThat(jobs).extracting(JobDefinition::name).containsExactly("backup", "backup-verify");
        assertThat(jobs.get(0).defaults()).isEqualTo(JobDefaults.scheduled("02:00").withJitter(Duration.ofMinutes(30)).withCatchUp(true).withTimeout(Duration.ofHours(6)));
        assertThat(jobs.get(1).defaults().schedule()).isEqualTo("weekly");
        for (JobDefinition job : jobs) {
            assertThat(job.settingsType().getAnnotation(Description.class)).as(job.name()).isNotNull();
            for (RecordComponent component : job.settingsType().getRecordComponents()) {
                assertThat(component.getAnnotation(Description.class)).as("@Description on %s.%s", job.name(), component.getName()).isNotNull();
            }
        }
    }

    @Test
    void settingsDefaultsAndRefusals()
    {
        BackupSettings defaults = BackupSettings.defaults();

        assertThat(defaults.backupDir()).isEqualTo(Path.of("backups"));
        assertThat(defaults.compression()).isEqualTo("zstd");
        assertThat(defaults.compressionLevel()).isEqualTo(3);
        assertThat(defaults.retentionDays()).isEqualTo(30);
        assertThat(defaults.maxBackupsPerVm()).isEqualTo(5);
        assertThat(defaults.encrypt()).isFalse();
        assertThat(defaults.ioPriority()).isEqualTo("best-effort:7");
        assertThat(defaults.bandwidthLimit()).isZero();
        assertThat(defaults.warmUp()).isTrue();
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "encrypt", true))
                .hasMessageContaining("recipient_key_file").hasMessageContaining("gpg --armor --export");
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "compression", "xz"))
                .hasMessageContaining("zstd, gzip or none");
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "compressionLevel", 22))
                .hasMessageContaining("1 to 19");
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "ioPriority", "realtime"))
                .hasMessageContaining("io_priority must be idle, best-effort:0 to best-effort:7");
        assertThatThrownBy(() -> TestingSettings.of(BackupSettings.class, "bandwidthLimit", -1))
                .hasMessageContaining("bandwidth_limit must be 0 or more");
    }

    @Test
    void everyJobTheCommandAndTheServiceComeFromAStrictInjector()
    {
        Injector injector = strictInjector(BackupSettings.defaults());

        for (JobDefinition job : new BackupPlugin().jobs()) {
            assertThat(injector.getInstance(job.type())).as(job.name()).isInstanceOf(job.type());
        }
        assertThat(injector.getInstance(BackupCommand.class)).isNotNull();
        assertThat(new BackupPlugin().services()).containsExactly(BackupWarmup.class);
        assertThat(injector.getInstance(BackupWarmup.class)).isSameAs(injector.getInstance(BackupWarmup.class));
    }

    @Test
    void commandListsPrunesWithDryRunAndProtects()
            throws Exception
    {
        Path root = folder.resolve("backups");
        for (int day = 0; day < 4; day++) {
            storeBackup(root, "web", NOW.minus(Duration.ofDays(day)));
        }
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", root, "maxBackupsPerVm", 2);
        BackupCommand command = strictInjector(settings).getInstance(BackupCommand.class);

        assertThat(run(command, "list", "web")).contains("web/20261126-120000", "web/20261123-120000");
        // for scripts: JSON, parsed back
        JsonNode listed = new ObjectMapper().readTree(run(command, "list", "--json"));
        assertThat(listed).hasSize(4);
        assertThat(listed.get(0).path("vm").asText()).isEqualTo("web");
        assertThat(listed.get(0).path("id").asText()).isEqualTo("20261126-120000");
        assertThat(listed.get(0).path("verify").isNull()).isTrue();
        assertThat(run(command, "protect", "20261123-120000")).contains("Protected web/20261123-120000");
        String dryRun = run(command, "prune", "--dry-run");
        assertThat(dryRun).contains("would prune web/20261124-120000: beyond max_backups_per_vm 2", "keep   web/20261123-120000: protected");
        assertThat(new BackupStore(root).list("web")).hasSize(4);

        run(command, "prune");
        assertThat(new BackupStore(root).list("web")).extracting(StoredBackup::id).containsExactly("20261126-120000", "20261125-120000", "20261123-120000");
        run(command, "unprotect", "web/20261123-120000");
        run(command, "prune");
        assertThat(new BackupStore(root).list("web")).extracting(StoredBackup::id).containsExactly("20261126-120000", "20261125-120000");
    }

    @Test
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    void protectIsRefusedWhileAPruneOrBackupHoldsTheGuestsLock()
            throws Exception
    {
        Path root = folder.resolve("backups");
        storeBackup(root, "web", NOW);
        BackupCommand command = strictInjector(TestingSettings.of(BackupSettings.class, "backupDir", root)).getInstance(BackupCommand.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit;
        // a prune (or backup, verify, restore) of web holds its lock: a marker set now could land after the prune listed the backup
        try (GuestLock held = GuestLock.acquire(root, "web")) {
            exit = command.run(List.of("protect", "20261126-120000"), new PrintWriter(out), new PrintWriter(err));
        }

        assertThat(exit).isEqualTo(BackupCommand.FAILED);
        assertThat(err.toString()).contains("another backup, verify, restore or prune of web is running");
        assertThat(root.resolve("web/20261126-120000").resolve(BackupStore.PROTECTED)).doesNotExist();
        assertThat(run(command, "protect", "20261126-120000")).contains("Protected web/20261126-120000");
        assertThat(root.resolve("web/20261126-120000").resolve(BackupStore.PROTECTED)).exists();
    }

    @Test
    void commandReportsAnUnknownBackupWithoutAStackTrace()
    {
        BackupCommand command = strictInjector(TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"))).getInstance(BackupCommand.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = command.run(List.of("protect", "20200101-000000"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).isEqualTo(BackupCommand.FAILED);
        assertThat(err.toString()).contains("no backup 20200101-000000", "hyperops backup list").doesNotContain("Exception");
    }

    @Test
    void aDamagedManifestHidesOnlyItsOwnBackupAndVerifyOfAGuestWithoutBackupsFails()
            throws Exception
    {
        Path root = folder.resolve("backups");
        storeBackup(root, "web", NOW);
        storeBackup(root, "db", NOW);
        storeBackup(root, "db", NOW.minus(Duration.ofDays(1)));
        Path damaged = root.resolve("db/20261125-120000").resolve(ManifestJson.FILE_NAME);
        Files.writeString(damaged, "{ \"vm_name\": broken");
        // a verify killed mid-check left its scratch folder in web's backup
        Path scratch = Files.createDirectories(root.resolve("web/20261126-120000").resolve(ScratchRestore.FOLDER));
        BackupCommand command = strictInjector(TestingSettings.of(BackupSettings.class, "backupDir", root)).getInstance(BackupCommand.class);

        assertThat(run(command, "list")).contains("web/20261126-120000", "db/20261126-120000").doesNotContain("20261125");
        assertThat(run(command, "prune", "--dry-run")).contains("web/20261126-120000", "db/20261126-120000");
        assertThat(damaged).exists();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command.run(List.of("verify", "wbe"), new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).isEqualTo(BackupCommand.FAILED);
        assertThat(err.toString()).contains("no backups of 'wbe'", "hyperops backup list");

        assertThat(new BackupStore(root).removeLeftovers("web")).containsExactly(scratch);
        assertThat(scratch).doesNotExist();
        assertThat(new BackupStore(root).removeLeftovers("db")).isEmpty();
        assertThat(damaged).as("a damaged manifest is no unfinished backup: repaired by hand, not deleted").exists();
    }

    @Test
    void guestNamesThatWouldLeaveTheBackupFolderAndAtFilesAreNamesRefusedNotFilesRead()
            throws Exception
    {
        Path root = folder.resolve("backups");
        storeBackup(root, "web", NOW);
        Path arguments = Files.writeString(folder.resolve("arguments"), "web\n");
        BackupCommand command = strictInjector(TestingSettings.of(BackupSettings.class, "backupDir", root)).getInstance(BackupCommand.class);

        for (String name : List.of("../backups/web", ".locks", "@" + arguments)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int exit = command.run(List.of("list", name), new PrintWriter(out), new PrintWriter(err));

            // '@FILE' would list web's backups if picocli read the file (as root, in the daemon)
            assertThat(exit).as(name).isEqualTo(BackupCommand.FAILED);
            assertThat(err.toString()).as(name).contains("'" + name + "' is no guest name");
            assertThat(out.toString()).as(name).doesNotContain("20261126");
        }
        assertThat(run(command, "list", "web")).contains("20261126-120000");
    }

    private static String run(BackupCommand command, String... arguments)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command.run(List.of(arguments), new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as("%s: %s", List.of(arguments), err).isZero();
        return out.toString();
    }

    private static void storeBackup(Path root, String vm, Instant time)
            throws Exception
    {
        String id = BackupStore.newId(time, ZoneOffset.UTC);
        Path backupFolder = Files.createDirectories(root.resolve(vm).resolve(id));
        String archive = vm + "-" + id + ".tar.zst";
        Files.writeString(backupFolder.resolve(archive), "archive");
        ManifestJson.write(backupFolder.resolve(ManifestJson.FILE_NAME), new BackupManifest(1, vm, "00000000-0000-0000-0000-000000000001", time.toString(),
                "running", 0, true, false, 7, "zstd", 3, List.of(), "external-snapshot", 10, archive, "test", List.of()));
    }

    private Injector strictInjector(BackupSettings settings)
    {
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        JobAccess jobs = new TestingJobAccess().with(BackupPlugin.BACKUP_JOB, settings);
        return Guice.createInjector(
                Stage.PRODUCTION,
                new AbstractModule()
                {
                    @Override
                    protected void configure()
                    {
                        binder().requireExplicitBindings();
                        binder().requireAtInjectOnConstructors();
                        binder().disableCircularProxies();
                        bind(HostPaths.class).toInstance(paths);
                        bind(LibvirtConnection.class).toInstance(new NoLibvirt());
                        bind(JobAccess.class).toInstance(jobs);
                        bind(Clock.class).toInstance(Clock.fixed(NOW, ZoneOffset.UTC));
                        OptionalBinder.newOptionalBinder(binder(), Preflight.class);
                    }
                },
                new BackupPlugin().module());
    }
}
