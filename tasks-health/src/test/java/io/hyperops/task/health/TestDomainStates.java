package io.hyperops.task.health;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

import static org.assertj.core.api.Assertions.assertThat;

/** The state with its reason, from libvirt's test driver, where libvirt-java alone gives no reason. */
@Tag("libvirt")
final class TestDomainStates
{
    @Test
    void readsTheReasonAGuestStopped()
            throws Exception
    {
        assertThat(DomainStates.readsReasons()).isTrue();
        // read-write, unlike TestingLibvirtConnection; the driver's default host is shared in this JVM
        Connect connect = new Connect(TestingLibvirtConnection.TEST_DRIVER);
        Domain domain = connect.domainLookupByName("test");
        try {
            GuestState running = DomainStates.of(domain);
            assertThat(running.running()).isTrue();
            assertThat(running.describe()).isEqualTo("running");
            domain.destroy();
            GuestState stopped = DomainStates.of(domain);
            assertThat(stopped.crashed()).isFalse();
            assertThat(stopped.describe()).isEqualTo("shut off (destroyed)");
        }
        finally {
            // as the other tests expect it
            domain.create();
            connect.close();
        }
    }

    @Test
    void describesStatesAsVirshDoes()
    {
        assertThat(new GuestState(GuestState.SHUTOFF, GuestState.SHUTOFF_CRASHED).describe()).isEqualTo("shut off (crashed)");
        assertThat(new GuestState(GuestState.SHUTOFF, GuestState.SHUTOFF_CRASHED).crashed()).isTrue();
        assertThat(new GuestState(GuestState.CRASHED, 1).crashed()).isTrue();
        assertThat(new GuestState(GuestState.SHUTOFF, GuestState.SHUTOFF_SHUTDOWN).crashed()).isFalse();
        assertThat(new GuestState(GuestState.SHUTOFF, GuestState.UNKNOWN_REASON).crashed()).isFalse();
        assertThat(new GuestState(GuestState.SHUTOFF, GuestState.UNKNOWN_REASON).describe()).isEqualTo("shut off");
        assertThat(new GuestState(GuestState.PAUSED, 1).running()).isTrue();
    }
}
