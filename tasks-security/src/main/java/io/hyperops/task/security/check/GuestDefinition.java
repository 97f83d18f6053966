package io.hyperops.task.security.check;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
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

import static java.util.Objects.requireNonNull;

/**
 * What the posture checks need of a guest's libvirt XML: its disk images and its network interfaces.
 *
 * @param disks host paths of the guest's disks (file and block sources); cdroms and floppies are media, not data
 */
public record GuestDefinition(String name, List<Path> disks, List<Interface> interfaces)
{
    public GuestDefinition
    {
        requireNonNull(name, "name is null");
        disks = List.copyOf(requireNonNull(disks, "disks is null"));
        interfaces = List.copyOf(requireNonNull(interfaces, "interfaces is null"));
    }

    /**
     * @param type libvirt's interface type: {@code bridge}, {@code network}, {@code direct}, {@code user}, ...
     * @param source the bridge, network or host device it is attached to; empty where the type has none
     */
    public record Interface(String type, Optional<String> source)
    {
        public Interface
        {
            requireNonNull(type, "type is null");
            requireNonNull(source, "source is null");
        }
    }

    public static GuestDefinition parse(String domainXml)
    {
        Element domain = document(domainXml).getDocumentElement();
        String name = text(domain, "name");
        List<Path> disks = new ArrayList<>();
        NodeList diskElements = domain.getElementsByTagName("disk");
        for (int i = 0; i < diskElements.getLength(); i++) {
            Element disk = (Element) diskElements.item(i);
            String device = disk.getAttribute("device");
            if (device.equals("cdrom") || device.equals("floppy")) {
                continue;
            }
            firstChild(disk, "source").ifPresent(source -> {
                String file = !source.getAttribute("file").isEmpty() ? source.getAttribute("file") : source.getAttribute("dev");
                if (!file.isEmpty()) {
                    disks.add(Path.of(file));
                }
            });
        }
        List<Interface> interfaces = new ArrayList<>();
        NodeList interfaceElements = domain.getElementsByTagName("interface");
        for (int i = 0; i < interfaceElements.getLength(); i++) {
            Element element = (Element) interfaceElements.item(i);
            String type = element.getAttribute("type");
            Optional<String> source = firstChild(element, "source").map(sourceElement -> switch (type) {
                case "bridge" -> sourceElement.getAttribute("bridge");
                case "network" -> sourceElement.getAttribute("network");
                case "direct" -> sourceElement.getAttribute("dev");
                default -> "";
            }).filter(value -> !value.isEmpty());
            interfaces.add(new Interface(type, source));
        }
        return new GuestDefinition(name, disks, interfaces);
    }

    /** A libvirt network's forward mode: {@code nat}, {@code route}, {@code bridge}, ...; {@code none} for an isolated network. */
    public static String forwardMode(String networkXml)
    {
        return firstChild(document(networkXml).getDocumentElement(), "forward")
                .map(forward -> forward.getAttribute("mode").isEmpty() ? "nat" : forward.getAttribute("mode"))
                .orElse("none");
    }

    /** The bridge a libvirt network in forward mode {@code bridge} uses. */
    public static Optional<String> networkBridge(String networkXml)
    {
        return firstChild(document(networkXml).getDocumentElement(), "bridge")
                .map(bridge -> bridge.getAttribute("name"))
                .filter(name -> !name.isEmpty());
    }

    private static Optional<Element> firstChild(Element parent, String tag)
    {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(tag)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    private static String text(Element parent, String tag)
    {
        return firstChild(parent, tag).map(element -> element.getTextContent().strip()).orElse("");
    }

    private static Document document(String xml)
    {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        }
        catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("libvirt gave XML that does not parse: " + e.getMessage(), e);
        }
    }
}
