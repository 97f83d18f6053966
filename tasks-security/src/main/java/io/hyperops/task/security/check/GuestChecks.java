package io.hyperops.task.security.check;

import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Checks of the guests: their disks encrypted, their networks apart from the host's uplink. */
public final class GuestChecks
{
    private static final List<String> IMAGE_ENDINGS = List.of(".qcow2", ".img", ".raw", ".luks");
    /** libvirt network forward modes that put guests on a host NIC's LAN without the host in between. */
    private static final Set<String> SHARED_FORWARD_MODES = Set.of("bridge", "passthrough", "private", "vepa", "hostdev");

    private final HostRoot host;
    private final GuestSource guests;
    private final QemuImg qemuImg;

    public GuestChecks(HostRoot host, GuestSource guests, QemuImg qemuImg)
    {
        this.host = requireNonNull(host, "host is null");
        this.guests = requireNonNull(guests, "guests is null");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
    }

    /** Every guest's disks and every image in {@code imageFolders}, as qemu-img reads their headers. */
    public Finding diskEncryption(List<Path> imageFolders)
            throws IOException, InterruptedException, LibvirtException
    {
        String id = "vm_disk_encryption";
        Set<Path> images = new LinkedHashSet<>();
        for (GuestDefinition guest : guests.guests()) {
            guest.disks().forEach(disk -> images.add(host.resolve(disk)));
        }
        for (Path folder : imageFolders) {
            images.addAll(imagesIn(host.resolve(folder)));
        }
        if (images.isEmpty()) {
            return Finding.info(id, "no guest disks and no images in " + imageFolders);
        }
        List<String> plain = new ArrayList<>();
        List<String> legacy = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<String> encrypted = new ArrayList<>();
        for (Path image : images) {
            String name = host.hostPath(image);
            if (!Files.exists(image)) {
                unreadable.add(name + " (missing)");
                continue;
            }
            QemuImg.Info info;
            try {
                info = qemuImg.info(image);
            }
            catch (IOException e) {
                unreadable.add(name + " (" + e.getMessage() + ")");
                continue;
            }
            Optional<String> encryption = info.encryption();
            if (encryption.isEmpty()) {
                plain.add(name + " (" + info.format() + ", not encrypted)");
            }
            else if (!encryption.get().equals("luks")) {
                legacy.add(name + " (" + info.format() + ", " + encryption.get() + ")");
            }
            else {
                encrypted.add(name);
            }
        }
        if (plain.isEmpty() && legacy.isEmpty() && unreadable.isEmpty()) {
            return Finding.ok(id, encrypted.size() + " image(s), all LUKS-encrypted: " + String.join(", ", encrypted));
        }
        List<String> evidence = new ArrayList<>();
        if (!plain.isEmpty()) {
            evidence.add("unencrypted: " + String.join(", ", plain));
        }
        if (!legacy.isEmpty()) {
            evidence.add("legacy qcow2 AES encryption, which qemu deprecates: " + String.join(", ", legacy));
        }
        if (!unreadable.isEmpty()) {
            evidence.add("could not be read: " + String.join(", ", unreadable));
        }
        return Finding.warn(id, String.join("; ", evidence),
                "Convert each image to LUKS encryption with the guest shut off: qemu-img convert --object secret,id=sec0,file=KEYFILE -O qcow2 "
                        + "-o encrypt.format=luks,encrypt.key-secret=sec0 OLD.qcow2 NEW.qcow2; give libvirt the key as a secret (virsh secret-define, "
                        + "secret-set-value) and the disk an <encryption format='luks'><secret type='passphrase' uuid='...'/></encryption>; "
                        + "or keep the images on a LUKS (dm-crypt) file system");
    }

    /**
     * A guest is isolated when none of its interfaces is plugged into one of the host's uplink bridges,
     * into a libvirt network that bridges or passes through to a host NIC, or into a host NIC directly
     * (macvtap, type {@code direct}). NAT, routed and isolated libvirt networks and user networking keep
     * the host in between.
     */
    public Finding networkIsolation(List<String> uplinkBridges, List<String> bridgedGuests)
            throws LibvirtException
    {
        String id = "guest_network_isolation";
        List<String> exposed = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        int interfaces = 0;
        List<GuestDefinition> all = guests.guests();
        for (GuestDefinition guest : all) {
            for (GuestDefinition.Interface nic : guest.interfaces()) {
                interfaces++;
                Optional<String> exposure = exposure(nic, uplinkBridges);
                if (exposure.isPresent()) {
                    (bridgedGuests.contains(guest.name()) ? allowed : exposed).add(guest.name() + " " + exposure.get());
                }
            }
        }
        if (!exposed.isEmpty()) {
            return Finding.warn(id, "guests on the host's LAN: " + String.join("; ", exposed),
                    "Attach these guests to a NAT, routed or isolated libvirt network, or to a bridge of their own (VLAN) that is not "
                            + String.join("/", uplinkBridges) + "; list a guest in bridged_guests if it must sit on the LAN");
        }
        if (!allowed.isEmpty()) {
            return Finding.info(id, "guests on the host's LAN by choice (bridged_guests): " + String.join("; ", allowed));
        }
        return Finding.ok(id, all.size() + " guest(s), " + interfaces + " interface(s), none on " + String.join("/", uplinkBridges)
                + " or a host NIC");
    }

    private Optional<String> exposure(GuestDefinition.Interface nic, List<String> uplinkBridges)
            throws LibvirtException
    {
        String source = nic.source().orElse("");
        switch (nic.type()) {
            case "bridge":
                return uplinkBridges.contains(source) ? Optional.of("on uplink bridge " + source) : Optional.empty();
            case "direct":
                return Optional.of("on host NIC " + source + " (macvtap)");
            case "hostdev":
                return Optional.of("has a host NIC passed through");
            case "network":
                Optional<String> xml = guests.networkXml(source);
                if (xml.isEmpty()) {
                    return Optional.empty();
                }
                String mode = GuestDefinition.forwardMode(xml.get()).toLowerCase(Locale.ROOT);
                if (!SHARED_FORWARD_MODES.contains(mode)) {
                    return Optional.empty();
                }
                if (mode.equals("bridge")) {
                    Optional<String> bridge = GuestDefinition.networkBridge(xml.get());
                    if (bridge.isPresent() && !uplinkBridges.contains(bridge.get())) {
                        return Optional.empty();
                    }
                }
                return Optional.of("on libvirt network " + source + " (forward mode " + mode + ")");
            default:
                return Optional.empty();
        }
    }

    private static List<Path> imagesIn(Path folder)
            throws IOException
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> images = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path file : stream) {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isRegularFile(file) && IMAGE_ENDINGS.stream().anyMatch(name::endsWith)) {
                    images.add(file);
                }
            }
        }
        images.sort(null);
        return images;
    }
}
