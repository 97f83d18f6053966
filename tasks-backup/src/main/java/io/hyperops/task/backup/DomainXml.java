package io.hyperops.task.backup;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a guest's disks from its libvirt XML and rewrites the XML for a restore as a new guest. */
public final class DomainXml
{
    private DomainXml() {}

    /**
     * A disk a backup copies: a file-backed disk or LUN, not a CD-ROM or floppy.
     *
     * @param backingFile the file the disk's source sits on, when it is an overlay (a snapshot left by a crash)
     */
    public record Disk(String target, Path source, String format, Optional<Path> backingFile)
    {
    }

    /**
     * @throws IllegalArgumentException for a disk hyperops cannot copy (network or block), naming it
     */
    public static List<Disk> disks(String xml)
    {
        List<Disk> disks = new ArrayList<>();
        NodeList nodes = parse(xml).getElementsByTagName("disk");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element disk = (Element) nodes.item(i);
            if (!disk.getParentNode().getNodeName().equals("devices")) {
                continue;
            }
            String device = disk.getAttribute("device");
            if (device.equals("cdrom") || device.equals("floppy")) {
                continue;
            }
            String target = child(disk, "target").map(element -> element.getAttribute("dev")).orElse("?");
            if (!disk.getAttribute("type").equals("file")) {
                throw new IllegalArgumentException("disk " + target + " is of type '" + disk.getAttribute("type")
                        + "'; hyperops backs up file-backed disks only");
            }
            Path source = child(disk, "source").map(element -> Path.of(element.getAttribute("file")))
                    .orElseThrow(() -> new IllegalArgumentException("disk " + target + " has no source file"));
            String format = child(disk, "driver").map(element -> element.getAttribute("type")).filter(type -> !type.isEmpty()).orElse("raw");
            Optional<Path> backing = child(disk, "backingStore").flatMap(store -> child(store, "source"))
                    .map(element -> element.getAttribute("file")).filter(file -> !file.isEmpty()).map(Path::of);
            disks.add(new Disk(target, source, format, backing));
        }
        return disks;
    }

    /**
     * The XML of a new guest from a backed-up one: new name, no UUID (libvirt makes one), new MAC
     * addresses, disks at new paths in raw or their old format, and the NVRAM at {@code nvram}; without
     * one, no NVRAM path (libvirt makes a fresh one from the template).
     *
     * @param diskFiles new file per disk target
     */
    public static String asNewGuest(String xml, String name, Map<String, Path> diskFiles, Optional<Path> nvram)
    {
        return rewrite(xml, Optional.of(name), diskFiles, nvram);
    }

    /** The same guest (name, UUID, MACs) with its disks at new paths, for a restore into another folder. */
    public static String withDisks(String xml, Map<String, Path> diskFiles)
    {
        return rewrite(xml, Optional.empty(), diskFiles, Optional.empty());
    }

    private static String rewrite(String xml, Optional<String> newName, Map<String, Path> diskFiles, Optional<Path> nvram)
    {
        Document document = parse(xml);
        Element domain = document.getDocumentElement();
        if (newName.isPresent()) {
            renew(document, domain, newName.get(), nvram);
        }
        NodeList disks = document.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            String target = child(disk, "target").map(element -> element.getAttribute("dev")).orElse("");
            Path file = diskFiles.get(target);
            if (file != null) {
                child(disk, "source").orElseThrow().setAttribute("file", file.toString());
                child(disk, "backingStore").ifPresent(disk::removeChild);
            }
        }
        return write(document);
    }

    private static void renew(Document document, Element domain, String name, Optional<Path> nvram)
    {
        child(domain, "name").orElseThrow(() -> new IllegalArgumentException("the saved domain XML has no name")).setTextContent(name);
        child(domain, "uuid").ifPresent(domain::removeChild);
        NodeList macs = document.getElementsByTagName("mac");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < macs.getLength(); i++) {
            Element mac = (Element) macs.item(i);
            if (mac.hasAttribute("address")) {
                byte[] bytes = new byte[3];
                random.nextBytes(bytes);
                // 52:54:00 is QEMU's prefix, as libvirt uses for the MACs it makes
                mac.setAttribute("address", "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(bytes));
            }
        }
        Optional<Element> nvramElement = child(domain, "os").flatMap(os -> child(os, "nvram"));
        if (nvram.isPresent()) {
            // the template attribute stays: libvirt uses it only when the file is missing
            nvramElement.orElseThrow(() -> new IllegalArgumentException("an NVRAM file was restored but the saved domain XML has no <nvram>"))
                    .setTextContent(nvram.get().toString());
        }
        else {
            nvramElement.ifPresent(element -> element.getParentNode().removeChild(element));
        }
    }

    /** The guest's UEFI variable store, saved with its backup. */
    public static Optional<Path> nvram(String xml)
    {
        return child(parse(xml).getDocumentElement(), "os").flatMap(os -> child(os, "nvram"))
                .map(Node::getTextContent).map(String::trim).filter(text -> !text.isEmpty()).map(Path::of);
    }

    private static Optional<Element> child(Element parent, String name)
    {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
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
            throw new IllegalArgumentException("domain XML does not parse: " + e.getMessage(), e);
        }
    }

    private static String write(Document document)
    {
        try {
            StringWriter out = new StringWriter();
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        }
        catch (TransformerException e) {
            throw new IllegalStateException("cannot write domain XML: " + e.getMessage(), e);
        }
    }
}
