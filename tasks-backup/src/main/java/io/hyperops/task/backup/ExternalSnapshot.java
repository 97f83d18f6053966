package io.hyperops.task.backup;

import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        for (DomainXml.Disk disk : disks) {
            Path overlay = overlayOf(disk.source());
            if (Files.exists(overlay)) {
                throw new IllegalStateException(overlay + " exists but the guest does not use it; it is not a disk of this guest now. Move it away, then run the backup again");
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
        for (DomainXml.Disk disk : DomainXml.disks(domain.getXMLDesc(0))) {
            if (disk.source().getFileName().toString().endsWith(OVERLAY_SUFFIX)) {
                commit(domain, disk.target(), disk.source(), log);
                committed.add(disk.source());
            }
        }
        return committed;
    }

    static void commit(Domain domain, String target, Path overlay, Logger log)
            throws LibvirtException, IOException, InterruptedException
    {
        long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
        if (domain.getBlockJobInfo(target, 0).end == 0) {
            domain.blockCommit(target, null, null, 0, Domain.BlockCommitFlags.ACTIVE);
        }
        // An active commit never ends on its own: once it has caught up (cur == end) it mirrors until pivoted.
        while (true) {
            DomainBlockJobInfo job = domain.getBlockJobInfo(target, 0);
            if (job.end > 0 && job.cur == job.end) {
                break;
            }
            waitOrFail(deadline, "block commit of " + overlay);
        }
        domain.blockJobAbort(target, Domain.BlockJobAbortFlags.PIVOT);
        while (overlayInUse(domain, target, overlay) || domain.getBlockJobInfo(target, 0).end > 0) {
            waitOrFail(deadline, "pivot of " + target + " away from " + overlay);
        }
        Files.deleteIfExists(overlay);
        log.info("Committed {} of {} back into its base and deleted the overlay", target, domain.getName());
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
