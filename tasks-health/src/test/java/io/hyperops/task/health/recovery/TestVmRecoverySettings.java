package io.hyperops.task.health.recovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a restart counts against the crash-loop limit. */
final class TestVmRecoverySettings
{
    @Test
    void aRestartCountsUntilTheGuestCouldHaveRunItsStablePeriod()
    {
        VmRecoverySettings defaults = new VmRecoverySettings(Coverage.AUTOSTART, List.of(), null, null, null, null);
        VmRecoverySettings longWindow = new VmRecoverySettings(Coverage.AUTOSTART, List.of(), null, Duration.ofHours(1), null, null);

        assertThat(defaults.countedFor()).isEqualTo(Duration.ofMinutes(30));
        assertThat(longWindow.countedFor()).isEqualTo(Duration.ofHours(1));
        // a guest that panics every four minutes: at the fourth crash its three restarts still count
        Instant fourthCrash = Instant.parse("2026-11-27T12:12:00Z");
        RecoveryLedger.GuestRecord restarts = new RecoveryLedger.GuestRecord(
                List.of(Instant.parse("2026-11-27T12:00:00Z"), Instant.parse("2026-11-27T12:04:00Z"), Instant.parse("2026-11-27T12:08:00Z")), Optional.empty(), Optional.empty());
        assertThat(restarts.within(fourthCrash.minus(defaults.countedFor())).restarts()).hasSize(defaults.maxRestarts());
    }
}
