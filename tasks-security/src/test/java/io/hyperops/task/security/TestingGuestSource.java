package io.hyperops.task.security;

import io.hyperops.task.security.check.GuestDefinition;
import io.hyperops.task.security.check.GuestSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Guests and networks from libvirt XML a test writes, parsed as the real source parses libvirt's. */
public final class TestingGuestSource
        implements GuestSource
{
    private final List<String> domains = new ArrayList<>();
    private final Map<String, String> networks = new LinkedHashMap<>();

    public TestingGuestSource guest(String domainXml)
    {
        domains.add(domainXml);
        return this;
    }

    public TestingGuestSource network(String name, String networkXml)
    {
        networks.put(name, networkXml);
        return this;
    }

    /** A guest with one file disk and one interface, as {@code virt-install} would define it. */
    public static String domainXml(String name, String disk, String interfaceXml)
    {
        return "<domain type='kvm'><name>" + name + "</name><memory unit='MiB'>64</memory><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='cdrom'><source file='/var/lib/hypervisor/isos/install.iso'/><target dev='sda' bus='sata'/></disk>"
                + interfaceXml
                + "</devices></domain>";
    }

    @Override
    public List<GuestDefinition> guests()
    {
        return domains.stream().map(GuestDefinition::parse).toList();
    }

    @Override
    public Optional<String> networkXml(String name)
    {
        return Optional.ofNullable(networks.get(name));
    }
}
