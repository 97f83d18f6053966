package io.hyperops.task.backup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a guest's disks and rewriting its XML for a restore. */
final class TestDomainXml
{
    private static final String GUEST = """
            <domain type='kvm'>
              <name>web</name>
              <uuid>6f1b2c3d-0000-4000-8000-000000000001</uuid>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <nvram>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram>
              </os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='/var/lib/libvirt/images/web.qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <source file='/isos/debian.iso'/>
                  <target dev='sda' bus='sata'/>
                </disk>
                <interface type='network'>
                  <mac address='52:54:00:aa:bb:cc'/>
                  <source network='default'/>
                </interface>
              </devices>
            </domain>
            """;

    @Test
    void readsFileDisksSkippingCdroms()
    {
        assertThat(DomainXml.disks(GUEST)).containsExactly(new DomainXml.Disk("vda", Path.of("/var/lib/libvirt/images/web.qcow2"), "qcow2", Optional.empty()));
        assertThat(DomainXml.nvram(GUEST)).contains(Path.of("/var/lib/libvirt/qemu/nvram/web_VARS.fd"));
    }

    @Test
    void refusesDisksItCannotCopy()
    {
        String network = GUEST.replace("<disk type='file' device='disk'>", "<disk type='network' device='disk'>");

        assertThatThrownBy(() -> DomainXml.disks(network)).hasMessageContaining("disk vda is of type 'network'");
    }

    @Test
    void newGuestWithoutASavedNvramGetsNewNameMacsAndDisksButNoUuidOrNvram()
    {
        String xml = DomainXml.asNewGuest(GUEST, "web-copy", Map.of("vda", Path.of("/restore/web-copy-vda.qcow2")), Optional.empty());

        assertThat(xml).contains("<name>web-copy</name>", "/restore/web-copy-vda.qcow2", "/isos/debian.iso", "<mac address=\"52:54:00:")
                .doesNotContain("<uuid>", "52:54:00:aa:bb:cc", "nvram", "/var/lib/libvirt/images/web.qcow2");
    }

    @Test
    void newGuestWithARestoredNvramPointsToItsNewFile()
    {
        String xml = DomainXml.asNewGuest(GUEST, "web-copy", Map.of("vda", Path.of("/restore/web-copy-vda.qcow2")),
                Optional.of(Path.of("/var/lib/libvirt/qemu/nvram/web-copy_VARS.fd")));

        assertThat(DomainXml.nvram(xml)).contains(Path.of("/var/lib/libvirt/qemu/nvram/web-copy_VARS.fd"));
        assertThat(xml).doesNotContain("web_VARS.fd");
    }

    @Test
    void sameGuestInAnotherFolderKeepsItsIdentity()
    {
        String xml = DomainXml.withDisks(GUEST, Map.of("vda", Path.of("/restore/web.qcow2")));

        assertThat(xml).contains("<name>web</name>", "6f1b2c3d-0000-4000-8000-000000000001", "52:54:00:aa:bb:cc", "/restore/web.qcow2");
    }
}
