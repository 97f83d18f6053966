package io.hyperops.task.network;

import io.hyperops.task.network.NetworkChange.Addressing;
import io.hyperops.task.network.NetworkChange.BridgeCreate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class TestChangeValidator
{
    @TempDir
    Path networkd;

    @Test
    void aValidBridgeIsNotRefused()
    {
        assertThat(ChangeValidator.check(new BridgeCreate("eno1", "br0", "performance", Addressing.dhcp()), TestingHosts.plainHost(), networkd)).isEmpty();
        assertThat(ChangeValidator.check(new BridgeCreate("eno1", "br0", "1450", new Addressing(Optional.of("fd00::5/64"), Optional.of("fd00::1"))), TestingHosts.plainHost(), networkd)).isEmpty();
    }

    @Test
    void theDriversMaximumIsTheLimitNotTheProfile()
    {
        List<Refusal> refusals = ChangeValidator.check(new BridgeCreate("eno1", "br0", "9217", Addressing.dhcp()), TestingHosts.plainHost(), networkd);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(refusal.reason()).isEqualTo("MTU 9217 is outside what the driver of 'eno1' (e1000e) accepts: 68 to 9216");
            assertThat(refusal.fix()).startsWith("choose an MTU from 68 to 9216");
        });
    }

    @Test
    void aBridgesMtuIsRefusedWhenAPortsDriverCannotTakeIt()
    {
        // a bridge takes up to 65535; its port's driver here stops at 1500
        NetworkInterface port = new NetworkInterface("eno1", true, "", "UP", true, Optional.of(1000), Optional.of("full"), 1500, 68, 1500, "r8169", List.of(), Optional.of("br0"));
        HostNetwork host = new HostNetwork(List.of(port, TestingHosts.bridge("br0", 1500, List.of("192.168.1.10/24"))), List.of(), List.of());

        List<Refusal> refusals = ChangeValidator.check(new NetworkChange.MtuSet("br0", "9000"), host, networkd);

        assertThat(refusals).extracting(Refusal::reason).containsExactly("MTU 9000 is outside what the driver of 'eno1' (r8169) accepts: 68 to 1500");
    }

    @Test
    void aNetworkFileThatSortsFirstAndMatchesThePortWouldWinAtBootAndIsRefused()
            throws Exception
    {
        java.nio.file.Files.writeString(networkd.resolve("10-netplan-eno1.network"), "[Match]\nName=eno*\n\n[Network]\nDHCP=yes\n");
        // sorts after br0.network and eno1.network: networkd picks hyperops' files first, so it is no problem
        java.nio.file.Files.writeString(networkd.resolve("fallback.network"), "[Match]\nName=*\n");

        List<Refusal> refusals = ChangeValidator.check(new BridgeCreate("eno1", "br0", "standard", Addressing.dhcp()), TestingHosts.plainHost(), networkd);
        List<Refusal> mtu = ChangeValidator.check(new NetworkChange.MtuSet("eno1", "9000"), TestingHosts.plainHost(), networkd);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(refusal.reason()).isEqualTo(networkd.resolve("10-netplan-eno1.network") + " matches 'eno1' and sorts before eno1.network, so systemd-networkd would use it, not hyperops' file, at the next boot");
            assertThat(refusal.fix()).contains("remove it");
        });
        assertThat(mtu).hasSize(1);
    }

    @Test
    void everyProblemIsListedNotOnlyTheFirst()
    {
        List<Refusal> refusals = ChangeValidator.check(
                new BridgeCreate("br0", "eno1", "abc", new Addressing(Optional.empty(), Optional.of("10.0.0.1"))),
                TestingHosts.bridgedHost(1500),
                networkd);

        assertThat(refusals).extracting(Refusal::reason).containsExactly(
                "interface 'br0' is itself a bridge",
                "bridge name 'eno1' is taken by an existing interface",
                "MTU 'abc' is neither a profile nor a number",
                "a gateway was given without an address");
    }

    @Test
    void hostNamesAreNeverLookedUp()
    {
        assertThat(IpAddresses.literal("example.org")).isEmpty();
        assertThat(IpAddresses.literal("192.168.1.300")).isEmpty();
        assertThat(IpAddresses.inNetwork("192.168.1.1", "192.168.1.20/24")).isTrue();
        assertThat(IpAddresses.inNetwork("192.168.2.1", "192.168.1.20/24")).isFalse();
        assertThat(IpAddresses.inNetwork("fd00::1", "fd00::5/64")).isTrue();
        assertThat(IpAddresses.isCidr("10.0.0.1/33")).isFalse();
    }

    @Test
    void theSeedsProfiles()
    {
        assertThat(MtuProfile.parse("standard")).hasValue(1500);
        assertThat(MtuProfile.parse("Performance")).hasValue(9000);
        assertThat(MtuProfile.parse("1450")).hasValue(1450);
        assertThat(MtuProfile.parse("9k")).isEmpty();
    }

    @Test
    void theDefaultViewLeavesOutTheSeedsVirtualNames()
    {
        assertThat(TestingHosts.plainHost().interfaces().stream().filter(iface -> !iface.hasVirtualName()).map(NetworkInterface::name))
                .containsExactly("eno1");
    }
}
