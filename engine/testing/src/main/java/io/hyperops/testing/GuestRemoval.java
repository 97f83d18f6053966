package io.hyperops.testing;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Takes a test guest away whatever state a test left it in: running, killed, with snapshots or checkpoints. */
final class GuestRemoval
{
    // libvirt-java 0.5.4 has no constant for VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA (libvirt 5.6).
    private static final int UNDEFINE_CHECKPOINTS_METADATA = 1 << 4;
    // nor for VIR_DOMAIN_UNDEFINE_NVRAM (libvirt 1.2.9), which deletes a UEFI guest's variable store.
    private static final int UNDEFINE_NVRAM = 1 << 2;
    // Snapshots, checkpoints, a managed save and UEFI variables made by backup tests would otherwise block the undefine.
    private static final int UNDEFINE_FLAGS = Domain.UndefineFlags.MANAGED_SAVE
            | Domain.UndefineFlags.SNAPSHOTS_METADATA
            | UNDEFINE_CHECKPOINTS_METADATA
            | UNDEFINE_NVRAM;

    private GuestRemoval() {}

    /** Destroys and undefines the guest; one that is already gone is fine. */
    static void remove(Connect connect, String uuid)
            throws LibvirtException
    {
        try {
            remove(connect.domainLookupByUUIDString(uuid));
        }
        catch (LibvirtException e) {
            if (!isGone(e)) {
                throw e;
            }
        }
    }

    /** Destroys and undefines the guest; one that is already gone is fine. */
    static void remove(Domain domain)
            throws LibvirtException
    {
        try {
            if (domain.isActive() == 1) {
                domain.destroy();
            }
        }
        catch (LibvirtException e) {
            // It may stop between the two calls, e.g. when a test killed its QEMU.
            if (!isGone(e) && !isCode(e, ErrorNumber.VIR_ERR_OPERATION_INVALID)) {
                throw e;
            }
        }
        try {
            domain.undefine(UNDEFINE_FLAGS);
        }
        catch (LibvirtException e) {
            if (!isGone(e)) {
                throw e;
            }
        }
    }

    /** Deletes a folder of guest disks with whatever tests put beside them (overlays, backup targets). */
    static void deleteFolder(Path folder)
            throws IOException
    {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        catch (NoSuchFileException e) {
            return;
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** Another test run's stale-guest sweep may have removed the guest first. */
    static boolean isGone(LibvirtException e)
    {
        return isCode(e, ErrorNumber.VIR_ERR_NO_DOMAIN);
    }

    private static boolean isCode(LibvirtException e, ErrorNumber code)
    {
        return e.getError() != null && e.getError().getCode() == code;
    }
}
