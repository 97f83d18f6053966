package io.hyperops.task.backup.archive;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a backup holds: the seed's {@code backup-info.json} fields, now truthful, plus what verify and
 * restore need. The copy inside the archive is written first, before the disks are read, so its
 * {@code sha256}, {@code backup_size} and {@code duration_millis} are empty there; those travel in the
 * archive's last entry ({@code SHA256SUMS}) and in the {@code backup-info.json} beside it.
 *
 * @param vmState the guest's state when the backup began: running, paused or shut off
 * @param consistency how the disks were frozen: {@code stopped} (copied directly) or {@code external-snapshot}
 * @param recipientKeyIds the OpenPGP key ids the archive is encrypted to, hex; empty when not encrypted
 */
public record BackupManifest(
        int formatVersion,
        String vmName,
        String vmUuid,
        String timestamp,
        String vmState,
        int diskCount,
        boolean compressed,
        boolean encrypted,
        long backupSize,
        String compression,
        int compressionLevel,
        List<String> recipientKeyIds,
        String consistency,
        long durationMillis,
        String archiveFile,
        String hyperopsVersion,
        List<Disk> disks)
{
    /** 2: sparse disk entries and the chunked disk checksum ({@link ChunkedSha256}); 1: full-size entries, plain SHA-256. */
    public static final int FORMAT_VERSION = 2;

    public BackupManifest
    {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(vmUuid, "vmUuid is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(vmState, "vmState is null");
        requireNonNull(compression, "compression is null");
        recipientKeyIds = List.copyOf(requireNonNull(recipientKeyIds, "recipientKeyIds is null"));
        requireNonNull(consistency, "consistency is null");
        requireNonNull(archiveFile, "archiveFile is null");
        requireNonNull(hyperopsVersion, "hyperopsVersion is null");
        disks = List.copyOf(requireNonNull(disks, "disks is null"));
    }

    /**
     * @param target the guest's device name, e.g. {@code vda}
     * @param entry the tar entry holding the raw guest-visible content, e.g. {@code disks/vda.raw}
     * @param sha256 of the guest-visible content; empty until the disk was read
     */
    public record Disk(String target, String source, String format, long virtualSize, long allocatedBytes, String entry, String sha256)
    {
        public Disk
        {
            requireNonNull(target, "target is null");
            requireNonNull(source, "source is null");
            requireNonNull(format, "format is null");
            requireNonNull(entry, "entry is null");
            requireNonNull(sha256, "sha256 is null");
        }

        public Disk withSha256(String hash)
        {
            return new Disk(target, source, format, virtualSize, allocatedBytes, entry, hash);
        }
    }

    public BackupManifest completed(List<Disk> hashedDisks, long size, long duration)
    {
        return new BackupManifest(formatVersion, vmName, vmUuid, timestamp, vmState, diskCount, compressed, encrypted, size, compression,
                compressionLevel, recipientKeyIds, consistency, duration, archiveFile, hyperopsVersion, hashedDisks);
    }
}
