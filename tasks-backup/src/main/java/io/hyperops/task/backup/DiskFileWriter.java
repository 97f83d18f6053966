package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.DirectSparseWriter;
import io.hyperops.task.backup.archive.DiskChecksum;
import io.hyperops.task.backup.archive.QemuImg;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.archive.WriteBehind;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes a disk's raw content from an archive to a sparse file (zero blocks are skipped, not written),
 * computing its checksum on the way, then converts it to qcow2 when the original was qcow2.
 */
final class DiskFileWriter
{
    private static final int CHUNK = 1 << 20;
    private static final int BLOCK = 1 << 16;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    private DiskFileWriter() {}

    /**
     * @param throttle the data blocks written pass through it (zero blocks are holes and cost nothing)
     * @return the checksum of the content written, as the archive's format version defines it ({@link DiskChecksum})
     */
    static String writeSparse(InputStream content, long size, Path raw, int formatVersion, Throttle throttle)
            throws IOException, InterruptedException
    {
        DiskChecksum sha256 = DiskChecksum.forFormat(formatVersion);
        byte[] buffer = new byte[CHUNK];
        if (!Files.exists(raw)) {
            // owner only, like the images libvirt keeps; libvirt hands a disk to QEMU's user when the guest starts
            Files.createFile(raw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
            FileChannel channel = file.getChannel();
            // zero blocks are skipped, so nothing of an earlier file (a restore that was stopped) may stay under them
            channel.truncate(0);
            // past the page cache where the file system allows it (DirectSparseWriter says why); else buffered, written back behind
            Optional<DirectSparseWriter> direct = DirectSparseWriter.open(raw, "restore-writer-" + raw.getFileName());
            try (WriteBehind writeBehind = direct.isPresent() ? WriteBehind.none() : WriteBehind.of(raw)) {
                writeRuns(content, size, buffer, sha256, channel, direct, writeBehind, throttle);
                if (direct.isPresent()) {
                    direct.get().finish();
                }
            }
            finally {
                if (direct.isPresent()) {
                    direct.get().close();
                }
            }
            file.setLength(size);
            channel.force(true);
        }
        return sha256.result();
    }

    /** The content, chunk by chunk: each run of data blocks written in one piece at its offset, zero blocks left as holes. */
    private static void writeRuns(InputStream content, long size, byte[] buffer, DiskChecksum sha256, FileChannel channel, Optional<DirectSparseWriter> direct,
            WriteBehind writeBehind, Throttle throttle)
            throws IOException, InterruptedException
    {
        long position = 0;
        while (position < size) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("restore was asked to stop");
            }
            int length = (int) Math.min(CHUNK, size - position);
            int filled = 0;
            while (filled < length) {
                int read = content.read(buffer, filled, length - filled);
                if (read < 0) {
                    throw new IOException("disk entry ends at " + (position + filled) + " of " + size + " bytes");
                }
                filled += read;
            }
            sha256.update(buffer, 0, length);
            int run = -1;
            // one step past the last block, which ends the last run
            for (int block = 0; block < length + BLOCK; block += BLOCK) {
                boolean data = block < length && !zeros(buffer, block, Math.min(BLOCK, length - block));
                if (data && run < 0) {
                    run = block;
                }
                else if (!data && run >= 0) {
                    int end = Math.min(block, length);
                    throttle.acquire(end - run);
                    if (direct.isPresent() && direct.get().aligned(position + run)) {
                        direct.get().write(position + run, buffer, run, end - run);
                    }
                    else {
                        channel.write(ByteBuffer.wrap(buffer, run, end - run), position + run);
                    }
                    run = -1;
                }
            }
            position += length;
            writeBehind.written(position);
        }
    }

    /** Converts a raw file to qcow2 beside {@code target}, then renames it to {@code target}. */
    static void toQcow2(Path raw, Path target)
            throws IOException, InterruptedException
    {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            QemuImg.checked(List.of("convert", "-f", "raw", "-O", "qcow2", raw.toString(), partial.toString()));
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            // a full disk or a stop leaves a large half-converted image otherwise
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private static boolean zeros(byte[] buffer, int offset, int length)
    {
        return Arrays.mismatch(buffer, offset, offset + length, ZERO_BLOCK, 0, length) < 0;
    }
}
