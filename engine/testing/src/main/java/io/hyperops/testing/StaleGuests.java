package io.hyperops.testing;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static io.hyperops.testing.TestingGuests.NAME_PREFIX;

/**
 * Finds test guests that a killed or crashed test run left defined (and often running, holding
 * 64 MiB and a QEMU process each) and removes them with their disks.
 */
final class StaleGuests
{
    private static final Logger log = LoggerFactory.getLogger(StaleGuests.class);

    private StaleGuests() {}

    static void remove(Connect connect)
            throws LibvirtException, IOException
    {
        for (Domain domain : connect.listAllDomains(0)) {
            String name = domain.getName();
            if (name.startsWith(NAME_PREFIX)) {
                removeIfStale(domain, name);
            }
        }
    }

    private static void removeIfStale(Domain domain, String name)
            throws LibvirtException, IOException
    {
        String xml;
        try {
            xml = domain.getXMLDesc(0);
        }
        catch (LibvirtException e) {
            if (GuestRemoval.isGone(e)) {
                return;
            }
            throw e;
        }
        // A guest without an owner comes from no version of this fixture that still runs: stale too.
        Optional<GuestOwner> owner = GuestXml.owner(xml);
        if (owner.isPresent() && owner.get().isAlive()) {
            return;
        }
        GuestRemoval.remove(domain);
        for (Path disk : GuestXml.disks(xml)) {
            // Only a folder this fixture made is deleted whole: never a disk someone pointed elsewhere.
            Path folder = disk.getParent();
            Path folderName = folder == null ? null : folder.getFileName();
            if (folderName != null && folderName.toString().startsWith(NAME_PREFIX)) {
                GuestRemoval.deleteFolder(folder);
            }
        }
        log.info("Removed stale test guest {} left by {}", name, owner.map(GuestOwner::toString).orElse("an unknown process"));
    }
}
