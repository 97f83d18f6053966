package io.hyperops.task.health;

import io.hyperops.spi.LibvirtConnection;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/** Reads every domain of the connection once: state with reason, autostart, vCPUs, memory and disks. */
public final class GuestInventory
{
    private GuestInventory() {}

    public static List<Guest> read(LibvirtConnection libvirt)
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Domain[] domains = connect.listAllDomains(0);
            List<Guest> guests = new ArrayList<>(domains.length);
            try {
                for (Domain domain : domains) {
                    try {
                        guests.add(guest(domain));
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

    private static Guest guest(Domain domain)
            throws LibvirtException
    {
        DomainInfo info = domain.getInfo();
        return new Guest(
                domain.getName(),
                domain.getUUIDString(),
                DomainStates.of(domain),
                domain.getAutostart(),
                info.nrVirtCpu,
                info.memory,
                disks(domain.getXMLDesc(0)));
    }

    static List<Guest.Disk> disks(String domainXml)
    {
        Document document = parse(domainXml);
        NodeList elements = document.getElementsByTagName("disk");
        List<Guest.Disk> disks = new ArrayList<>();
        for (int i = 0; i < elements.getLength(); i++) {
            Element disk = (Element) elements.item(i);
            boolean device = disk.getParentNode() instanceof Element parent && parent.getTagName().equals("devices");
            // cdrom and floppy hold installation media, not the guest's data
            String kind = disk.hasAttribute("device") ? disk.getAttribute("device") : "disk";
            if (!device || !kind.equals("disk")) {
                continue;
            }
            Optional<Element> source = child(disk, "source");
            Optional<Path> file = source.filter(element -> element.hasAttribute("file")).map(element -> Path.of(element.getAttribute("file")));
            String format = child(disk, "driver").map(driver -> driver.getAttribute("type")).orElse("");
            String target = child(disk, "target").map(element -> element.getAttribute("dev")).orElse("");
            boolean encrypted = child(disk, "encryption").isPresent() || source.flatMap(element -> child(element, "encryption")).isPresent();
            boolean backed = child(disk, "backingStore").filter(store -> child(store, "source").isPresent()).isPresent();
            disks.add(new Guest.Disk(target, file, format, encrypted, backed));
        }
        return disks;
    }

    private static Optional<Element> child(Element parent, String name)
    {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    private static Document parse(String xml)
    {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        }
        catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("libvirt returned domain XML that does not parse: " + e.getMessage(), e);
        }
    }
}
