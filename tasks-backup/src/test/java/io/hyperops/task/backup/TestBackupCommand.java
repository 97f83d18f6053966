package io.hyperops.task.backup;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.multibindings.OptionalBinder;
import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobAccess;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.Preflight;
import io.hyperops.spi.PreflightReport;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuests.Guest;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hyperops backup run} and {@code restore --as} through the command, from a strict injector, on a real guest. */
@Tag("libvirt")
final class TestBackupCommand
{
    @TempDir
    Path folder;

    private TestingGuests guests;
    private SystemLibvirt libvirt;
    private String restoredName;

    @AfterEach
    void cleanUp()
            throws Exception
    {
        if (restoredName != null) {
            Domain restored = libvirt.call(connect -> connect.domainLookupByName(restoredName));
            restored.undefine();
        }
        if (libvirt != null) {
            libvirt.close();
        }
        if (guests != null) {
            guests.close();
        }
    }

    @Test
    void runThenRestoreAsNewGuest()
            throws Exception
    {
        guests = TestingGuests.connect();
        libvirt = new SystemLibvirt();
        Guest guest = guests.createStopped("bk-command");
        TestingDisks.writeData(guest.disk(), 8, 1024);
        String expected = TestingDisks.contentSha256(guest.disk(), folder);
        BackupCommand command = injector(Optional.empty()).getInstance(BackupCommand.class);

        assertThat(run(command, 0, "run", guest.name())).contains("OK     " + guest.name() + ": backup ", "stopped, verified");
        assertThat(run(command, 0, "list", guest.name())).contains(guest.name() + "/", "zstd", "verified");
        assertThat(run(command, 0, "verify", guest.name())).contains("OK     " + guest.name());
        restoredName = TestingGuests.NAME_PREFIX + "cmd-" + UUID.randomUUID().toString().substring(0, 8);
        Path target = Files.createDirectory(folder.resolve("restored"));
        assertThat(run(command, 0, "restore", guest.name(), "latest", "--as", restoredName, "--to", target.toString())).contains("Restored " + restoredName);

        assertThat(TestingDisks.contentSha256(target.resolve(restoredName + "-vda.qcow2"), folder)).isEqualTo(expected);
    }

    @Test
    void failedPreflightRefusesTheRunBeforeAnyGuestIsTouched()
            throws Exception
    {
        libvirt = new SystemLibvirt();
        Preflight full = operation -> new PreflightReport(operation.name(), List.of(new PreflightReport.Check("disk space", CheckStatus.ERROR,
                "Insufficient disk space: 1GB available, 3GB required", Optional.of("Free up space with: hyperops backup prune"))));
        BackupCommand command = injector(Optional.of(full)).getInstance(BackupCommand.class);

        String err = run(command, BackupCommand.FAILED, "run", "hyperops-test-no-such-guest");

        assertThat(err).contains("pre-flight for backup failed, no guest was touched", "Insufficient disk space", "hyperops backup prune");
        assertThat(folder.resolve("backups")).doesNotExist();
    }

    /** @return stdout when the exit code is 0, else stderr */
    private static String run(BackupCommand command, int exitCode, String... arguments)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = command.run(List.of(arguments), new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as("%s: %s %s", List.of(arguments), out, err).isEqualTo(exitCode);
        return exitCode == 0 ? out.toString() : err.toString();
    }

    private Injector injector(Optional<Preflight> preflight)
    {
        HostPaths paths = new HostPaths(folder, folder.resolve("state"), folder.resolve("logs"));
        BackupSettings settings = TestingSettings.of(BackupSettings.class, "backupDir", folder.resolve("backups"));
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
                        bind(LibvirtConnection.class).toInstance(libvirt);
                        bind(JobAccess.class).toInstance(jobs);
                        bind(Clock.class).toInstance(Clock.systemUTC());
                        OptionalBinder<Preflight> binding = OptionalBinder.newOptionalBinder(binder(), Preflight.class);
                        // as the health task does when it is installed
                        preflight.ifPresent(check -> binding.setBinding().toInstance(check));
                    }
                },
                new BackupPlugin().module());
    }
}
