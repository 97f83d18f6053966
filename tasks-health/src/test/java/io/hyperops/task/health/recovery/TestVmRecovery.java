package io.hyperops.task.health.recovery;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.health.Await;
import io.hyperops.task.health.DomainStates;
import io.hyperops.task.health.GuestState;
import io.hyperops.task.health.SystemLibvirtConnection;
import io.hyperops.task.health.TestingAuditLog;
import io.hyperops.task.health.TestingHealthRun;
import io.hyperops.testing.TestingFileStateStore;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingGuests.Guest;
import io.hyperops.testing.TestingGuests;
import io.hyperops.testing.TestingGuestsExtension;
import io.hyperops.testing.TestingRunContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real daemon and real QEMU guests: crashes are undone, operators' stops are not. */
@Tag("libvirt")
@ExtendWith(TestingGuestsExtension.class)
final class TestVmRecovery
{
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private SystemLibvirtConnection libvirt;
    private TestingAuditLog audit;
    private RecoveryService service;
    private TestingFileStateStore state;
    private HostPaths paths;

    @BeforeEach
    void setUp()
    {
        libvirt = new SystemLibvirtConnection();
        audit = new TestingAuditLog();
        service = new RecoveryService(libvirt, audit);
        paths = new HostPaths(folder.resolve("data"), folder.resolve("state"), folder.resolve("logs"));
        state = new TestingFileStateStore(paths.stateDir(), RecoveryLedger.JOB_NAME);
    }

    @AfterEach
    void tearDown()
            throws LibvirtException
    {
        service.stopListening();
        libvirt.close();
    }

    @Test
    void aKilledGuestRunsAgain(TestingGuests guests)
            throws Exception
    {
        Guest guest = guests.createRunning("recover-kill");
        JobResult first = sweep(guest);
        assertThat(first.details()).containsEntry("listening", true);

        long before = guests.qemuPid(guest);
        kill(before);

        Await.until("the killed guest to run again", RECOVERY, () -> runningWithNewQemu(guests, guest, before));
        // recorded right after the start returns
        Await.until("the audit event", RECOVERY, () -> !audit.events(guest.name()).isEmpty());
        assertThat(audit.events(guest.name())).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo("vm.restart");
            assertThat(event.outcome()).isEqualTo("success");
            assertThat(event.details()).containsEntry("state", "shut off (crashed)").containsEntry("source", "event").containsEntry("restart", 1);
        });
        // the next run reports what the listener did since the last one
        JobResult next = sweep(guest);
        assertThat(next.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(next.summary()).startsWith(guest.name() + " restarted (event, shut off (crashed), restart 1 of 3)");
    }

    @Test
    void aCrashWhileTheJobIsDisabledInTheConfigLeavesTheGuestDown(TestingGuests guests)
            throws Exception
    {
        Guest guest = guests.createRunning("recover-off");
        assertThat(sweep(guest).details()).containsEntry("listening", true);
        // the config was reloaded with "enabled": false for vm-recovery; the listener stays registered
        service.actOnlyWhile(() -> false);

        kill(guests.qemuPid(guest));
        Await.until("the guest to be down", RECOVERY, () -> !running(guest));
        // time for an event-driven restart, were there one
        Thread.sleep(3000);

        assertThat(running(guest)).isFalse();
        assertThat(audit.events()).isEmpty();
    }

    @Test
    void aRestartThatDoesNotComeUpIsTriedAgainUntilGivenUp(TestingGuests guests)
            throws Exception
    {
        Guest guest = guests.createRunning("recover-nostart");
        assertThat(sweep(guest).details()).containsEntry("listening", true);
        // its disk goes away while it runs: QEMU keeps the open file, but no new start finds it
        Path moved = Files.move(guest.disk(), guest.disk().resolveSibling(guest.disk().getFileName() + ".away"));
        try {
            kill(guests.qemuPid(guest));
            Await.until("the event's restart to fail", RECOVERY, () -> audit.events(guest.name()).stream().anyMatch(event -> event.outcome().equals("failed")));
            assertThat(state(guest).describe()).isEqualTo("shut off (failed)");

            // each sweep tries again, counted against max_restarts (3), then gives up and says so
            for (int sweep = 0; sweep < 3; sweep++) {
                sweep(guest);
            }

            assertThat(audit.events(guest.name())).extracting(event -> event.outcome()).containsExactly("failed", "failed", "failed", "given-up");
        }
        finally {
            Files.move(moved, guest.disk());
        }
    }

    @Test
    void aGuestAnOperatorStoppedStaysStopped(TestingGuests guests)
            throws Exception
    {
        Guest destroyed = guests.createRunning("recover-destroy");
        Guest shutDown = guests.createRunning("recover-shutdown");
        sweep(destroyed, shutDown);

        assertThat(virsh("destroy", destroyed.name())).isZero();
        // virsh shutdown asks the guest's OS to power off; these guests have none, so after asking,
        // power off from inside as an OS would: QEMU quits, and libvirt records "shut off (shutdown)"
        assertThat(virsh("shutdown", shutDown.name())).isZero();
        assertThat(virsh("qemu-monitor-command", "--hmp", shutDown.name(), "quit")).isIn(0, 1);
        Await.until("both guests to be shut off", RECOVERY, () -> !running(destroyed) && !running(shutDown));
        // time for an event-driven restart, were there one
        Thread.sleep(3000);
        JobResult result = sweep(destroyed, shutDown);

        // a libvirtd restart meanwhile (other tests on this machine restart it) forgets a stopped guest's reason: "unknown"
        assertThat(state(destroyed).describe()).isIn("shut off (destroyed)", "shut off (unknown)");
        assertThat(state(shutDown).describe()).isIn("shut off (shutdown)", "shut off (unknown)");
        assertThat(result.summary()).isEqualTo("no crashed guests");
        assertThat(audit.events()).isEmpty();
    }

    @Test
    void aGivenUpGuestAnOperatorStartsIsWatchedAgainOnlyAfterItHasRunItsStablePeriod(TestingGuests guests)
            throws Exception
    {
        // given up two hours ago, started by hand a moment ago: it has not yet shown it runs stably
        Guest guest = guests.createRunning("recover-handstart");
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        state.write(RecoveryLedger.STATE_NAME, RecoveryLedger.empty().with(guest.name(),
                new RecoveryLedger.GuestRecord(List.of(twoHoursAgo.minusSeconds(60)), Optional.of(twoHoursAgo), Optional.empty())));

        sweep(guest);

        RecoveryLedger ledger = state.read(RecoveryLedger.STATE_NAME, RecoveryLedger.class).orElseThrow();
        assertThat(ledger.givenUp()).as("still given up: it ran for a minute, not the stable period").containsExactly(guest.name());
        assertThat(ledger.guest(guest.name()).seenUpSince()).isPresent();
        assertThat(audit.events(guest.name())).isEmpty();
    }

    @Test
    void aGuestKilledFourTimesIsGivenUpAfterTheThirdRestart(TestingGuests guests)
            throws Exception
    {
        Guest guest = guests.createRunning("recover-loop");
        sweep(guest);

        for (int crash = 1; crash <= 3; crash++) {
            long before = guests.qemuPid(guest);
            kill(before);
            Await.until("restart " + crash, RECOVERY, () -> runningWithNewQemu(guests, guest, before));
            // the restart's audit event is written once libvirt's start has returned: a kill before that
            // can end the start itself ("shut off (failed)"), which is not a crash of a running guest
            int restarts = crash;
            Await.until("the audit event of restart " + crash, RECOVERY, () -> audit.events(guest.name()).size() == restarts);
        }
        kill(guests.qemuPid(guest));
        Await.until("recovery to give up", RECOVERY, () -> state.read(RecoveryLedger.STATE_NAME, RecoveryLedger.class).map(RecoveryLedger::givenUp).orElse(List.of()).contains(guest.name()));
        Await.until("the audit events", RECOVERY, () -> audit.events(guest.name()).size() == 4);
        JobResult result = sweep(guest);

        assertThat(state(guest).describe()).isEqualTo("shut off (crashed)");
        assertThat(audit.events(guest.name())).extracting(AuditEvent::action)
                .containsExactly("vm.restart", "vm.restart", "vm.restart", "vm.recovery.given-up");
        assertThat(result.outcome()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.summary()).contains(guest.name() + " given-up (event, shut off (crashed) after 3 restarts within 30 min)");
        // a given-up guest is not restarted by the sweep either
        assertThat(audit.events(guest.name())).hasSize(4);

        TestingHealthRun.Report health = TestingHealthRun.run(folder, paths, libvirt, new TestingJobAccess().withState(RecoveryLedger.JOB_NAME, state));
        assertThat(health.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(health.checks().get("vm_recovery")).containsEntry("status", "ERROR");
        assertThat((String) health.checks().get("vm_recovery").get("message")).startsWith("vm-recovery gave up on ").contains(guest.name());
    }

    @Test
    void eventsResumeAfterALibvirtdRestartAndTheSweepCatchesACrashDuringIt()
            throws Exception
    {
        TestingGuests guests = TestingGuests.connect();
        Guest guest = guests.createRunning("recover-restart");
        try {
            sweep(guest);
            long before = guests.qemuPid(guest);

            // libvirtd stops, the guest's QEMU dies while no one watches, libvirtd starts again
            restartLibvirtd("kill -9 " + before);
            Await.until("libvirt to answer again", Duration.ofSeconds(60), this::answers);
            Await.until("libvirtd to see the crash", RECOVERY, () -> stateOrNull(guest) != null && stateOrNull(guest).crashed());

            JobResult result = sweep(guest);
            assertThat(result.summary()).startsWith(guest.name() + " restarted (sweep, shut off (crashed), restart 1 of 3)");
            Await.until("the guest to run again", RECOVERY, () -> runningWithNewQemu(guests, guest, before));

            // the listener is back: the next crash is undone without a sweep
            long second = guests.qemuPid(guest);
            kill(second);
            Await.until("the event-driven restart after the libvirtd restart", RECOVERY, () -> runningWithNewQemu(guests, guest, second));
            Await.until("the audit event", RECOVERY, () -> audit.events(guest.name()).size() == 2);
            assertThat(audit.events(guest.name())).extracting(event -> event.details().get("source")).containsExactly("sweep", "event");
        }
        finally {
            remove(guest);
            closeAfterRestart(guests);
        }
    }

    /** Destroys and undefines the guest through the reconnecting connection. */
    private void remove(Guest guest)
            throws LibvirtException
    {
        libvirt.call(connect -> {
            Domain domain = connect.domainLookupByUUIDString(guest.uuid());
            try {
                if (domain.isActive() == 1) {
                    domain.destroy();
                }
                domain.undefine();
                return null;
            }
            finally {
                domain.free();
            }
        });
    }

    /** The fixture's connection died with the old daemon: its guest is gone already, its disk folder still goes. */
    private static void closeAfterRestart(TestingGuests guests)
            throws IOException
    {
        try {
            guests.close();
        }
        catch (LibvirtException e) {
            assertThat(e.getMessage()).contains("client socket is closed");
        }
    }

    private JobResult sweep(Guest... guests)
            throws LibvirtException
    {
        VmRecoverySettings settings = new VmRecoverySettings(Coverage.LIST, java.util.Arrays.stream(guests).map(Guest::name).toList(), null, null, null, null);
        return new VmRecoveryJob(service).run(new TestingRunContext(RecoveryLedger.JOB_NAME, settings, state, Clock.systemUTC()));
    }

    private boolean answers()
    {
        try {
            return libvirt.call(connect -> connect.listAllDomains(0)) != null;
        }
        catch (LibvirtUnavailableException | LibvirtException e) {
            return false;
        }
    }

    private boolean runningWithNewQemu(TestingGuests guests, Guest guest, long oldPid)
    {
        try {
            return running(guest) && guests.qemuPid(guest) != oldPid;
        }
        catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    private boolean running(Guest guest)
    {
        GuestState state = stateOrNull(guest);
        return state != null && state.state() == GuestState.RUNNING;
    }

    private GuestState stateOrNull(Guest guest)
    {
        try {
            return state(guest);
        }
        catch (LibvirtException | RuntimeException e) {
            return null;
        }
    }

    /** Read through the test's reconnecting connection: the fixture's own does not survive a libvirtd restart. */
    private GuestState state(Guest guest)
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Domain domain = connect.domainLookupByUUIDString(guest.uuid());
            try {
                return DomainStates.of(domain);
            }
            finally {
                domain.free();
            }
        });
    }

    private static void kill(long pid)
            throws Exception
    {
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }

    private static int virsh(String... arguments)
            throws Exception
    {
        List<String> command = new java.util.ArrayList<>(List.of("virsh", "-q", "-c", SystemLibvirtConnection.URI));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** Stops libvirtd as a package upgrade does, runs {@code during}, starts it again (the testbed's daemon, no systemd). */
    private static void restartLibvirtd(String during)
            throws Exception
    {
        boolean systemd = Files.isDirectory(Path.of("/run/systemd/system"));
        String stop = systemd ? "systemctl stop libvirtd" : "pkill -TERM -x libvirtd; for i in $(seq 300); do pgrep -x libvirtd >/dev/null || break; sleep 0.1; done";
        // another test on this machine may have started it again meanwhile
        String start = systemd ? "systemctl start libvirtd" : "pgrep -x libvirtd >/dev/null || libvirtd -d";
        Process process = new ProcessBuilder("sh", "-c", stop + "; " + during + "; sleep 0.5; " + start).inheritIO().start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
