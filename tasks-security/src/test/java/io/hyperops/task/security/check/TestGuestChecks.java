package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingGuestSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class TestGuestChecks
{
    @TempDir
    Path folder;

    @Test
    void guestsOnTheUplinkOrAHostNicAreNotIsolated()
            throws Exception
    {
        TestingGuestSource guests = new TestingGuestSource()
                .guest(TestingGuestSource.domainXml("bridged", "/d/a.qcow2", "<interface type='bridge'><source bridge='br0'/></interface>"))
                .guest(TestingGuestSource.domainXml("macvtap", "/d/b.qcow2", "<interface type='direct'><source dev='eno1' mode='bridge'/></interface>"))
                .guest(TestingGuestSource.domainXml("lan-net", "/d/c.qcow2", "<interface type='network'><source network='lan'/></interface>"))
                .guest(TestingGuestSource.domainXml("nat", "/d/d.qcow2", "<interface type='network'><source network='default'/></interface>"))
                .guest(TestingGuestSource.domainXml("vlan", "/d/e.qcow2", "<interface type='bridge'><source bridge='br-guests'/></interface>"))
                .network("lan", "<network><name>lan</name><forward mode='bridge'/><bridge name='br0'/></network>")
                .network("default", "<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/></network>");

        Finding finding = checks(guests).networkIsolation(List.of("br0"), List.of());

        assertThat(finding.severity()).isEqualTo(CheckStatus.WARN);
        assertThat(finding.evidence()).contains("bridged on uplink bridge br0", "macvtap on host NIC eno1 (macvtap)", "lan-net on libvirt network lan (forward mode bridge)")
                .doesNotContain("nat ", "vlan");
    }

    @Test
    void aGuestBridgedOnPurposeIsInformation()
            throws Exception
    {
        TestingGuestSource guests = new TestingGuestSource()
                .guest(TestingGuestSource.domainXml("router", "/d/a.qcow2", "<interface type='bridge'><source bridge='br0'/></interface>"))
                .guest(TestingGuestSource.domainXml("isolated", "/d/b.qcow2", "<interface type='network'><source network='none'/></interface>"))
                .network("none", "<network><name>none</name><bridge name='virbr9'/></network>");

        Finding finding = checks(guests).networkIsolation(List.of("br0"), List.of("router"));

        assertThat(finding.severity()).isEqualTo(CheckStatus.INFO);
        assertThat(finding.evidence()).contains("router on uplink bridge br0");
    }

    @Test
    void qemuImgJsonOfEachKindOfImage()
            throws Exception
    {
        assertThat(QemuImg.parse("{\"format\": \"qcow2\", \"encrypted\": false}").encryption()).isEmpty();
        assertThat(QemuImg.parse("{\"format\": \"raw\"}").encryption()).isEmpty();
        assertThat(QemuImg.parse("{\"format\": \"luks\", \"encrypted\": true}").encryption()).contains("luks");
        assertThat(QemuImg.parse("{\"format\": \"qcow2\", \"encrypted\": true, \"format-specific\": {\"type\": \"qcow2\", \"data\": "
                + "{\"encrypt\": {\"format\": \"luks\"}}}}").encryption()).contains("luks");
        // the legacy qcow2 AES scheme: encrypted, without a luks block
        assertThat(QemuImg.parse("{\"format\": \"qcow2\", \"encrypted\": true, \"format-specific\": {\"type\": \"qcow2\", \"data\": {\"compat\": \"0.10\"}}}")
                .encryption()).contains("aes");
    }

    @Test
    void aMissingGuestDiskIsReportedNotSkipped()
            throws Exception
    {
        TestingGuestSource guests = new TestingGuestSource()
                .guest(TestingGuestSource.domainXml("gone", "/var/lib/hypervisor/disks/gone.qcow2", ""));

        Finding finding = checks(guests).diskEncryption(List.of());

        assertThat(finding.severity()).isEqualTo(CheckStatus.WARN);
        assertThat(finding.evidence()).contains("/var/lib/hypervisor/disks/gone.qcow2 (missing)").doesNotContain("install.iso");
    }

    private GuestChecks checks(TestingGuestSource guests)
    {
        return new GuestChecks(new HostRoot(folder), guests, new QemuImg(Duration.ofSeconds(30)));
    }
}
