package io.hyperops.testing;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The libvirt XML of test guests: written for a new guest, read back to judge an old one. */
final class GuestXml
{
    // Our own element in <metadata>: libvirt keeps elements of foreign namespaces as they are.
    private static final String NAMESPACE = "https://hyperops.io/xmlns/testing/1";
    private static final String OWNER = "owner";

    private GuestXml() {}

    /**
     * UEFI firmware for a guest: OVMF's code read-only, and the guest's own variable store, which
     * libvirt copies from {@code template} when the guest starts and the file is missing.
     */
    record Uefi(Path loader, Path template, Path nvram)
    {
    }

    /**
     * A guest with one virtio disk and nothing else: no network, so tests never touch the host's
     * networks; no graphics; libvirt's default on_crash (destroy).
     */
    static String domain(String name, String domainType, Path disk, GuestOwner owner)
    {
        return domain(name, domainType, disk, owner, Optional.empty());
    }

    /** The same guest booting UEFI (q35, OVMF in pflash) when {@code uefi} is given. */
    static String domain(String name, String domainType, Path disk, GuestOwner owner, Optional<Uefi> uefi)
    {
        String firmware = uefi.map(files -> """
                    <loader readonly='yes' type='pflash'>%s</loader>
                    <nvram template='%s'>%s</nvram>
                """.formatted(escape(files.loader().toString()), escape(files.template().toString()), escape(files.nvram().toString()))).orElse("");
        return """
                <domain type='%s'>
                  <name>%s</name>
                  <metadata>
                    <hyperops:%s xmlns:hyperops='%s' pid='%d' started-millis='%d'/>
                  </metadata>
                  <memory unit='MiB'>64</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='%s'>hvm</type>
                %s    <boot dev='hd'/>
                  </os>
                %s
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(domainType, escape(name), OWNER, NAMESPACE, owner.pid(), owner.startedMillis(), uefi.isPresent() ? "q35" : "pc", firmware,
                // libvirt refuses UEFI on x86 without ACPI
                uefi.isPresent() ? "  <features><acpi/></features>" : "", escape(disk.toString()));
    }

    /** The JVM that made the guest, or empty for a domain without our metadata. */
    static Optional<GuestOwner> owner(String domainXml)
    {
        NodeList owners = parse(domainXml).getElementsByTagNameNS(NAMESPACE, OWNER);
        if (owners.getLength() == 0) {
            return Optional.empty();
        }
        Element owner = (Element) owners.item(0);
        try {
            return Optional.of(new GuestOwner(
                    Long.parseLong(owner.getAttribute("pid")),
                    Long.parseLong(owner.getAttribute("started-millis"))));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The files behind the guest's file-backed disks. */
    static List<Path> disks(String domainXml)
    {
        NodeList sources = parse(domainXml).getElementsByTagName("source");
        List<Path> disks = new ArrayList<>();
        for (int i = 0; i < sources.getLength(); i++) {
            Element source = (Element) sources.item(i);
            if (source.getParentNode().getNodeName().equals("disk") && source.hasAttribute("file")) {
                disks.add(Path.of(source.getAttribute("file")));
            }
        }
        return disks;
    }

    /** Whether the host's capabilities offer the {@code kvm} domain type for x86_64 guests. */
    static boolean kvmUsable(String capabilitiesXml)
    {
        try {
            return (Boolean) XPathFactory.newInstance().newXPath().evaluate(
                    "boolean(/capabilities/guest[arch/@name='x86_64']/arch/domain[@type='kvm'])",
                    parse(capabilitiesXml),
                    XPathConstants.BOOLEAN);
        }
        catch (XPathExpressionException e) {
            throw new IllegalStateException("Cannot read libvirt's capabilities", e);
        }
    }

    private static Document parse(String xml)
    {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        }
        catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("libvirt returned XML that does not parse", e);
        }
    }

    private static String escape(String text)
    {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}
