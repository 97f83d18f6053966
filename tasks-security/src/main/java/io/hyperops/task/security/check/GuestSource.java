package io.hyperops.task.security.check;

import org.libvirt.LibvirtException;

import java.util.List;
import java.util.Optional;

/** The guests the checks look at, and the libvirt networks they use. */
public interface GuestSource
{
    List<GuestDefinition> guests()
            throws LibvirtException;

    /** The libvirt network's XML; empty when no network has that name. */
    Optional<String> networkXml(String name)
            throws LibvirtException;
}
