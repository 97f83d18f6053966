package io.hyperops.task.security.check;

import io.hyperops.spi.LibvirtConnection;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link GuestSource} over the engine's libvirt connection: every defined guest, running or not. */
public final class LibvirtGuests
        implements GuestSource
{
    private final LibvirtConnection libvirt;

    @Inject
    public LibvirtGuests(LibvirtConnection libvirt)
    {
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
    }

    @Override
    public List<GuestDefinition> guests()
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Domain[] domains = connect.listAllDomains(0);
            List<GuestDefinition> guests = new ArrayList<>(domains.length);
            try {
                for (Domain domain : domains) {
                    try {
                        guests.add(GuestDefinition.parse(domain.getXMLDesc(0)));
                    }
                    catch (LibvirtException e) {
                        // undefined between the listing and the look: not a guest any more
                        if (e.getError() == null || e.getError().getCode() != ErrorNumber.VIR_ERR_NO_DOMAIN) {
                            throw e;
                        }
                    }
                }
            }
            finally {
                for (Domain domain : domains) {
                    domain.free();
                }
            }
            return guests;
        });
    }

    @Override
    public Optional<String> networkXml(String name)
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Network network;
            try {
                network = connect.networkLookupByName(name);
            }
            catch (LibvirtException e) {
                if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_NETWORK) {
                    return Optional.empty();
                }
                throw e;
            }
            try {
                return Optional.of(network.getXMLDesc(0));
            }
            finally {
                network.free();
            }
        });
    }
}
