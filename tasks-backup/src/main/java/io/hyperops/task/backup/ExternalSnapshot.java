package io.hyperops.task.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.task.backup.archive.QemuImg;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Freezes a running guest's disks for a backup: a disk-only external snapshot (no libvirt metadata)
 * sends the guest's writes to an overlay beside each disk, the base images stay still and are read
 * directly, then an active block commit with pivot folds the overlay back and the overlay is deleted.
 * Overlays are named {@code <disk>.hyperops-overlay}, so one left by a crash is found and committed
 * at the next run ({@link #commitLeftOvers}).
 */
public final class ExternalSnapshot
{
    public static final String OVERLAY_SUFFIX = ".hyperops-overlay";
    private static final Duration COMMIT_TIMEOUT = Duration.ofMinutes(30);
    private static final long POLL_MILLIS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    // virDomainXMLFlags' VIR_DOMAIN_XML_INACTIVE: the persistent definition, which a stopped guest boots from
    private static final int XML_INACTIVE = 2;

    private ExternalSnapshot() {}

    public static Path overlayOf(Path disk)
    {
        return disk.resolveSibling(disk.getFileName() + OVERLAY_SUFFIX);
    }

    /**
     * Creates the overlays atomically (all disks or none). Quiesces the guest's file systems first when
     * its XML has a guest agent channel, falling back to a crash-consistent snapshot when the agent does not answer.
     *
     * @return whether the file systems were frozen by the agent
     */
    public static boolean create(Domain domain, List<DomainXml.Disk> disks, Logger log)
            throws LibvirtException
    {
        StringBuilder xml = new StringBuilder("<domainsnapshot><name>hyperops-backup</name><description>hyperops backup; committed when the backup ends</description><disks>");
        String liveXml = domain.getXMLDesc(0);
        for (DomainXml.Disk disk : disks) {
            Path overlay = overlayOf(disk.source());
            if (Files.exists(overlay) && !removeIfUnused(overlay, disk.source(), liveXml, log)) {
                throw new IllegalStateException(overlay + " exists but is not an unused overlay of " + disk.source() + " (in use, or on another backing file). "
                        + "Find out what uses it ('qemu-img info " + overlay + "'), move it away, then run the backup again");
            }
            xml.append("<disk name='").append(escape(disk.target())).append("' snapshot='external'><driver type='qcow2'/><source file='")
                    .append(escape(overlay.toString())).append("'/></disk>");
        }
        xml.append("</disks></domainsnapshot>");
        int flags = Domain.SnapshotCreateFlags.DISK_ONLY | Domain.SnapshotCreateFlags.NO_METADATA | Domain.SnapshotCreateFlags.ATOMIC;
        if (domain.getXMLDesc(0).contains("org.qemu.guest_agent.0")) {
            try {
                domain.snapshotCreateXML(xml.toString(), flags | Domain.SnapshotCreateFlags.QUIESCE);
                return true;
            }
            catch (LibvirtException e) {
                log.warn("Guest agent of {} did not freeze its file systems ({}); taking a crash-consistent snapshot", domain.getName(), e.getMessage());
            }
        }
        domain.snapshotCreateXML(xml.toString(), flags);
        return false;
    }

    /**
     * Commits every overlay the guest runs on back into its base and pivots, then deletes the overlay
     * files. Safe to call when there is none.
     *
     * @return the overlays committed
     */
    public static List<Path> commitLeftOvers(Domain domain, Logger log)
            throws LibvirtException, IOException, InterruptedException
    {
        List<Path> committed = new ArrayList<>();
        // every disk is tried: one that fails must not leave the others growing on their overlays
        List<String> failures = new ArrayList<>();
        for (DomainXml.Disk disk : DomainXml.disks(domain.getXMLDesc(0))) {
            if (disk.source().getFileName().toString().endsWith(OVERLAY_SUFFIX)) {
                try {
                    commit(domain, disk.target(), disk.source(), log);
                    committed.add(disk.source());
                }
                catch (LibvirtException | IOException e) {
                    log.error("Committing the backup overlay {} of {} failed: {}", disk.source(), domain.getName(), e.getMessage());
                    failures.add(disk.target() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("the guest " + domain.getName() + " still runs on backup overlays (" + String.join("; ", failures) + "). "
                    + "The next backup tries again; to finish by hand: 'virsh blockcommit " + domain.getName() + " DISK --active --shallow --pivot'");
        }
        return committed;
    }

    /**
     * The same for a guest that stopped while on its overlays (a backup was killed, then the guest shut
     * down): {@code qemu-img commit} folds each overlay into the file it was taken of, the guest's
     * definition names that file again, and the overlay goes. A step repeated after a crash does no harm.
     *
     * @return the overlays committed
     */
    public static List<Path> commitOffline(Domain domain, Logger log)
            throws LibvirtException, IOException, InterruptedException
    {
        String xml = domain.getXMLDesc(XML_INACTIVE);
        Map<String, Path> bases = new LinkedHashMap<>();
        for (DomainXml.Disk disk : DomainXml.disks(xml)) {
            Path overlay = disk.source();
            if (!overlay.getFileName().toString().endsWith(OVERLAY_SUFFIX)) {
                continue;
            }
            Path base = baseOf(overlay);
            String backing = backingFile(QemuImg.checked(List.of("info", "--output=json", overlay.toString())));
            if (!backing.equals(base.toString())) {
                throw new IOException(overlay + " sits on " + (backing.isEmpty() ? "no backing file" : backing) + ", not on " + base + "; commit it by hand");
            }
            QemuImg.checked(List.of("commit", "-q", overlay.toString()));
            bases.put(disk.target(), base);
        }
        if (bases.isEmpty()) {
            return List.of();
        }
        domain.getConnect().domainDefineXML(DomainXml.withDisks(xml, bases));
        List<Path> committed = new ArrayList<>();
        for (Map.Entry<String, Path> base : bases.entrySet()) {
            Path overlay = overlayOf(base.getValue());
            Files.deleteIfExists(overlay);
            committed.add(overlay);
            log.info("Committed {} of the stopped guest {} back into {} and deleted the overlay", base.getKey(), domain.getName(), base.getValue());
        }
        return committed;
    }

    static void commit(Domain domain, String target, Path overlay, Logger log)
            throws LibvirtException, IOException, InterruptedException
    {
        long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
        if (domain.getBlockJobInfo(target, 0).end == 0) {
            // SHALLOW: into the overlay's own backing file. Without it libvirt commits into the bottom of the
            // chain, so a disk on a shared template (a linked clone) would be folded into the template with
            // the overlay, and the guest pivoted onto it, corrupting every guest built on that template.
            domain.blockCommit(target, null, null, 0, Domain.BlockCommitFlags.ACTIVE | Domain.BlockCommitFlags.SHALLOW);
        }
        // An active commit never ends on its own: once it has caught up (cur == end) it mirrors until pivoted.
        while (true) {
            DomainBlockJobInfo job = domain.getBlockJobInfo(target, 0);
            if (job.end > 0 && job.cur == job.end) {
                break;
            }
            waitOrFail(deadline, "block commit of " + overlay);
        }
        // The job's counters can reach the end before libvirt has seen QEMU's "ready" event; a pivot then
        // is refused as "not ready for pivot yet", and tried again shortly.
        while (true) {
            try {
                domain.blockJobAbort(target, Domain.BlockJobAbortFlags.PIVOT);
                break;
            }
            catch (LibvirtException e) {
                if (!String.valueOf(e.getMessage()).contains("not ready for pivot")) {
                    throw e;
                }
                waitOrFail(deadline, "pivot of " + target + " (the commit job is not ready yet)");
            }
        }
        while (overlayInUse(domain, target, overlay) || domain.getBlockJobInfo(target, 0).end > 0) {
            waitOrFail(deadline, "pivot of " + target + " away from " + overlay);
        }
        // the overlay goes only once the guest is seen back on the very file it was taken from
        Path base = baseOf(overlay);
        String name = domain.getName();
        Path now = DomainXml.disks(domain.getXMLDesc(0)).stream().filter(disk -> disk.target().equals(target)).map(DomainXml.Disk::source).findFirst()
                .orElseThrow(() -> new IOException(name + " has no disk " + target + " after the pivot; " + overlay + " is kept"));
        if (!now.equals(base)) {
            throw new IOException(name + "'s disk " + target + " runs on " + now + " after the commit, not on " + base + "; " + overlay + " is kept");
        }
        Files.deleteIfExists(overlay);
        log.info("Committed {} of {} back into its base and deleted the overlay", target, domain.getName());
    }

    /** The disk an overlay was taken of: its name without {@link #OVERLAY_SUFFIX}. */
    static Path baseOf(Path overlay)
    {
        String name = overlay.getFileName().toString();
        return overlay.resolveSibling(name.substring(0, name.length() - OVERLAY_SUFFIX.length()));
    }

    /**
     * Deletes an overlay that a killed run left after the pivot but before deleting it: the guest's XML
     * names it nowhere, no QEMU holds it (qemu-img's lock check), and it sits on {@code disk}. Anything
     * else is left alone. @return whether it was removed
     */
    private static boolean removeIfUnused(Path overlay, Path disk, String liveXml, Logger log)
    {
        if (liveXml.contains(overlay.toString())) {
            return false;
        }
        try {
            // without -U: it fails while a QEMU holds the image
            QemuImg.Result info = QemuImg.run(List.of("info", "--output=json", overlay.toString()));
            if (info.exit() != 0 || !backingFile(info.output()).equals(disk.toString())) {
                return false;
            }
            Files.delete(overlay);
            log.warn("Deleted {}, an overlay left unused by an earlier backup that was stopped after the guest went back to {}", overlay, disk);
            return true;
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String backingFile(String qemuImgInfo)
            throws IOException
    {
        JsonNode info = JSON.readTree(qemuImgInfo);
        return info.path("full-backing-filename").asText(info.path("backing-filename").asText(""));
    }

    private static boolean overlayInUse(Domain domain, String target, Path overlay)
            throws LibvirtException
    {
        return DomainXml.disks(domain.getXMLDesc(0)).stream().anyMatch(disk -> disk.target().equals(target) && disk.source().equals(overlay));
    }

    private static void waitOrFail(long deadline, String what)
            throws InterruptedException, IOException
    {
        if (System.nanoTime() > deadline) {
            throw new IOException(what + " did not finish within " + COMMIT_TIMEOUT.toMinutes() + " minutes; the guest still runs on the overlay. "
                    + "Finish it with 'virsh blockcommit DOMAIN DISK --active --pivot'");
        }
        Thread.sleep(POLL_MILLIS);
    }

    private static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
    }
}
