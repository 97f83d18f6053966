package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Folders;
import io.hyperops.task.backup.archive.QemuImg;
import io.hyperops.task.backup.archive.Throttle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Restores a disk, while verify reads it from the archive, to a sparse scratch image in the format a
 * restore produces, runs {@code qemu-img check} on it and deletes it: verify then shows that a restore
 * gives a sound image, not only that the archive holds the right bytes.
 */
final class ScratchRestore
{
    /**
     * The scratch folder inside the backup's folder; a verify killed midway leaves it, the next one empties
     * it. Verify runs under the guest's lock, so no other verify uses it meanwhile.
     */
    static final String FOLDER = ".verify-scratch";
    // the file system's own use on top of twice the data; qcow2's metadata is below 1/64 of the data
    private static final long MARGIN = 4L << 20;

    private final Path folder;

    ScratchRestore(Path folder)
    {
        this.folder = requireNonNull(folder, "folder is null");
    }

    /**
     * Refuses before anything is read when the largest disk cannot be restored here: the raw file and its
     * qcow2 conversion exist at the same time, each up to the disk's data.
     *
     * @throws IllegalStateException naming the space needed and free, and the fix
     */
    void prepare(BackupManifest manifest)
            throws IOException
    {
        delete();
        // owner only: the scratch images are the guest's disks in the clear
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        long needed = manifest.disks().stream().filter(ScratchRestore::checkable).mapToLong(disk -> 2 * disk.allocatedBytes() + disk.allocatedBytes() / 64 + MARGIN).max().orElse(0);
        long free = Files.getFileStore(folder).getUsableSpace();
        if (needed > free) {
            delete();
            throw new IllegalStateException("not enough free space for the qemu-img check scratch image in " + folder.getParent() + ": it needs "
                    + mebibytes(needed) + " MiB, " + mebibytes(free) + " MiB are free; free space there, or set verify_qemu_img_check: false "
                    + "in the backup job's settings to verify the archive without it");
        }
    }

    /** Only qcow2 has metadata for {@code qemu-img check} to check; a raw restore is the bytes verify already compared. */
    static boolean checkable(BackupManifest.Disk disk)
    {
        return disk.format().equals("qcow2");
    }

    /** @return the disk's checksum as the archive's format defines it, and the check of the restored image */
    Result restoreAndCheck(BackupManifest.Disk disk, InputStream content, long size, int formatVersion)
            throws IOException, InterruptedException
    {
        Path raw = folder.resolve(disk.target() + ".raw");
        Path image = folder.resolve(disk.target() + ".qcow2");
        try {
            String checksum = DiskFileWriter.writeSparse(content, size, raw, formatVersion, Throttle.unlimited());
            DiskFileWriter.toQcow2(raw, image);
            Files.delete(raw);
            return new Result(checksum, check(disk, image));
        }
        finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(image);
        }
    }

    record Result(String checksum, VerifyRecord.ImageCheck check)
    {
    }

    void delete()
            throws IOException
    {
        Folders.deleteTree(folder);
    }

    // exit 0: no errors; 2: corruption; 3: leaked clusters; 1: the check could not complete. Only 0 is a sound image.
    private static VerifyRecord.ImageCheck check(BackupManifest.Disk disk, Path image)
            throws IOException, InterruptedException
    {
        QemuImg.Result result = QemuImg.run(List.of("check", "-f", "qcow2", image.toString()));
        int exit = result.exit();
        String text = result.text();
        return new VerifyRecord.ImageCheck(disk.target(), disk.format(), exit == 0, exit == 0 ? text : "qemu-img check exit " + exit + ": " + text);
    }

    private static long mebibytes(long bytes)
    {
        return bytes >> 20;
    }
}
