package io.hyperops.task.backup.archive;

import io.hyperops.task.backup.crypto.OpenPgpEncryption;
import io.hyperops.task.backup.crypto.RecipientKeys;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Writes one archive in a single pass: tar entries, compressed, optionally OpenPGP-encrypted, into
 * {@code <file>.partial}; {@link #commit()} adds {@code SHA256SUMS}, fsyncs and renames. Closing without
 * a commit deletes the partial file, so a failed or interrupted backup leaves nothing half-written.
 *
 * <p>The layers, from the file up: file, counter, buffer, [OpenPGP encryption], hand-off to a writing thread,
 * [OpenPGP literal packet], [zstd | gzip, behind a hand-off to a compressing thread], tar. Stock tools undo them in reverse: {@code gpg -d | zstd -d | tar x}.
 */
public final class ArchiveWriter
        implements AutoCloseable
{
    public static final String SUMS_ENTRY = "SHA256SUMS";
    private static final int BUFFER = 1 << 20;
    // GNU tar's default blocking factor of 20 records
    private static final int TAR_BLOCK = 20 * TarConstants.DEFAULT_RCDSIZE;
    private static final ZipEncoding NAMES = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    // empty when the bytes go nowhere: the daemon's warm-up (discarding)
    private final Optional<Destination> destination;
    private final Counter counter;
    private final OutputStream buffered;
    private final OutputStream plain;
    private final OutputStream compressed;
    // every hand-off thread, in the order started: a failed run stops them, the last started first
    private final List<HandOffOutputStream> stages;
    // everything of the tar stream goes through it: the entries commons-compress writes and the disks' data, which does not
    private final Counter tarBytes;
    private final TarArchiveOutputStream tar;
    private final IoPriority priority;
    private final Throttle throttle;
    private final Map<String, String> sums = new LinkedHashMap<>();
    private boolean committed;
    private boolean closed;

    private ArchiveWriter(Optional<Destination> destination, Counter counter, OutputStream buffered, OutputStream plain, OutputStream compressed,
            List<HandOffOutputStream> stages, IoPriority priority, Throttle throttle)
    {
        this.stages = List.copyOf(stages);
        this.priority = priority;
        this.throttle = throttle;
        this.destination = destination;
        this.counter = counter;
        this.buffered = buffered;
        this.plain = plain;
        this.compressed = compressed;
        this.tarBytes = new Counter(compressed, WriteBehind.none());
        // records as they come; the padding of the end to GNU tar's 10 KiB blocks is added by commit, which counts the disks' data too
        this.tar = new TarArchiveOutputStream(tarBytes, TarConstants.DEFAULT_RCDSIZE);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /**
     * @param priority set on the thread that reads the disks (while it does) and on the one that writes the file
     * @param throttle what the disks' data passes through on its way in
     */
    public static ArchiveWriter create(Path file, Compression compression, int level, int workers, Optional<RecipientKeys> recipients,
            IoPriority priority, Throttle throttle)
            throws IOException
    {
        requireNonNull(file, "file is null");
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        // owner only: an archive is every guest disk's content, in plain text unless encryption is on
        FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY);
        // past the page cache where the file system allows it (DirectFileOutput says why); else buffered, written back behind
        Optional<DirectFileOutput> direct = DirectFileOutput.open(partial, "archive-file-" + file.getFileName(), priority);
        WriteBehind writeBehind = direct.isPresent() ? WriteBehind.none() : WriteBehind.of(partial);
        try {
            OutputStream out = direct.isPresent() ? direct.get() : Channels.newOutputStream(channel);
            return layers(Optional.of(new Destination(file, partial, channel, direct)), out, writeBehind,
                    file.getFileName().toString(), compression, level, workers, recipients, priority, throttle);
        }
        catch (IOException | RuntimeException e) {
            writeBehind.close();
            if (direct.isPresent()) {
                direct.get().close();
            }
            channel.close();
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /**
     * The same layers and threads as {@link #create}, with the bytes thrown away at the end: what the
     * daemon runs once after it starts so that its first backup finds the pipeline's code compiled
     * ({@code BackupWarmup}). {@link #commit()} finishes every layer and returns the size it would have had.
     */
    public static ArchiveWriter discarding(String name, Compression compression, int level, int workers, Optional<RecipientKeys> recipients)
            throws IOException
    {
        return layers(Optional.empty(), OutputStream.nullOutputStream(), WriteBehind.none(), name, compression, level, workers, recipients,
                IoPriority.UNCHANGED, Throttle.unlimited());
    }

    private static ArchiveWriter layers(Optional<Destination> destination, OutputStream out, WriteBehind writeBehind, String name, Compression compression,
            int level, int workers, Optional<RecipientKeys> recipients, IoPriority priority, Throttle throttle)
            throws IOException
    {
        requireNonNull(priority, "priority is null");
        requireNonNull(throttle, "throttle is null");
        List<HandOffOutputStream> stages = new ArrayList<>();
        try {
            Counter counter = new Counter(out, writeBehind);
            OutputStream buffered = new BufferedOutputStream(counter, BUFFER);
            String innerName = name.replaceFirst("\\.gpg$", "");
            // Stages run on threads of their own and overlap, as in a shell pipeline: reading and hashing
            // (the caller), compressing and framing the literal packet, encrypting, and the integrity
            // check's SHA-1 beside the cipher.
            OutputStream plain = recipients.isPresent()
                    ? OpenPgpEncryption.encrypt(buffered, recipients.get(), innerName,
                            mdc -> stage(stages, mdc, "archive-mdc-" + name, IoPriority.UNCHANGED),
                            encrypted -> stage(stages, encrypted, "archive-writer-" + name, priority))
                    : stage(stages, buffered, "archive-writer-" + name, priority);
            OutputStream compressed = compression == Compression.NONE
                    ? new Unclosable(plain)
                    : stage(stages, new HandOffOutputStream(compression.compress(new Unclosable(plain), level, workers), "archive-compressor-" + name, priority, true));
            return new ArchiveWriter(destination, counter, buffered, plain, compressed, stages, priority, throttle);
        }
        catch (IOException | RuntimeException e) {
            abort(stages);
            throw e;
        }
    }

    private static HandOffOutputStream stage(List<HandOffOutputStream> stages, OutputStream target, String name, IoPriority priority)
    {
        return stage(stages, new HandOffOutputStream(target, name, priority));
    }

    private static HandOffOutputStream stage(List<HandOffOutputStream> stages, HandOffOutputStream stage)
    {
        stages.add(stage);
        return stage;
    }

    private static void abort(List<HandOffOutputStream> stages)
    {
        for (int i = stages.size() - 1; i >= 0; i--) {
            stages.get(i).abort();
        }
    }

    public void addBytes(String name, byte[] content)
            throws IOException
    {
        TarArchiveEntry entry = entry(name, content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
        sums.put(name, Sha256.hex(content));
    }

    /**
     * Adds the disk as a sparse entry (holes take no room and no time), then its chunk list as
     * {@code <name>.sha256-4m}, which {@code SHA256SUMS} lists in the disk's place.
     *
     * @return the disk's checksum ({@link ChunkedSha256}): the SHA-256 of its chunk list
     */
    @SuppressWarnings("try") // the priority is held by the try block, not used in it
    public String addDisk(String name, DiskImage image, LongConsumer progress)
            throws IOException, InterruptedException
    {
        SparseEntry sparse = SparseEntry.of(name, image.virtualSize(), image.extents());
        byte[] records = sparse.paxRecords();
        TarArchiveEntry header = new TarArchiveEntry(sparse.paxHeaderName(), TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        header.setSize(records.length);
        header.setModTime(wholeSeconds());
        tar.putArchiveEntry(header);
        tar.write(records);
        tar.closeArchiveEntry();
        byte[] map = sparse.map();
        // The data entry goes around commons-compress, straight into the compressor's hand-off a megabyte at
        // a time: its writer copies every byte through a 512-byte block buffer and hands each block on alone,
        // 2048 calls per megabyte, and compiling that path was the largest part of a fresh JVM's C2 work
        // (docs/benchmarks.md, backup, session 10). The header is still commons-compress's.
        long size = map.length + sparse.dataSize();
        writeHeader(entry(sparse.headerName(), size));
        tarBytes.write(map);
        String list;
        try (IoPriority.Restore restore = priority.applyToCurrentThread()) {
            list = DiskStreamer.stream(image, tarBytes, throttle, progress);
        }
        tarBytes.write(new byte[padding(size, TarConstants.DEFAULT_RCDSIZE)]);
        addBytes(name + ChunkedSha256.LIST_SUFFIX, list.getBytes(StandardCharsets.US_ASCII));
        return ChunkedSha256.digestOfList(list);
    }

    /** Finishes every layer, fsyncs, renames the partial file to its name. @return the archive's size */
    public long commit()
            throws IOException
    {
        StringBuilder text = new StringBuilder();
        sums.forEach((name, sha256) -> text.append(sha256).append("  ").append(name).append('\n'));
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        tar.putArchiveEntry(entry(SUMS_ENTRY, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
        tar.finish();
        tarBytes.write(new byte[padding(tarBytes.count, TAR_BLOCK)]);
        compressed.close();
        plain.close();
        buffered.flush();
        if (destination.isPresent()) {
            Destination target = destination.get();
            if (target.direct().isPresent()) {
                target.direct().get().finish();
            }
            target.channel().force(true);
            counter.close();
            target.channel().close();
            Files.move(target.partial(), target.file(), StandardCopyOption.ATOMIC_MOVE);
            Folders.syncParent(target.file());
        }
        else {
            counter.close();
        }
        committed = true;
        closed = true;
        return counter.count;
    }

    public Path partialFile()
    {
        return destination.orElseThrow(() -> new IllegalStateException("a discarding writer has no file")).partial();
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        abort(stages);
        counter.close();
        if (destination.isPresent()) {
            try {
                if (destination.get().direct().isPresent()) {
                    destination.get().direct().get().close();
                }
                destination.get().channel().close();
            }
            finally {
                if (!committed) {
                    Files.deleteIfExists(destination.get().partial());
                }
            }
        }
    }

    /** A header block as commons-compress formats it, base-256 for a size past 8 GiB (POSIX mode would need a PAX header of its own). */
    private void writeHeader(TarArchiveEntry entry)
            throws IOException
    {
        if (entry.getName().getBytes(StandardCharsets.UTF_8).length > TarConstants.NAMELEN) {
            // the block would cut it short; disk entries are named after the guest's device (disks/vda.raw)
            throw new IllegalArgumentException("tar entry name longer than " + TarConstants.NAMELEN + " bytes: " + entry.getName());
        }
        byte[] block = new byte[TarConstants.DEFAULT_RCDSIZE];
        entry.writeEntryHeader(block, NAMES, true);
        tarBytes.write(block);
    }

    private static int padding(long size, int unit)
    {
        return (int) ((unit - size % unit) % unit);
    }

    private static TarArchiveEntry entry(String name, long size)
    {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setModTime(wholeSeconds());
        entry.setMode(0640);
        return entry;
    }

    // Sub-second times would make commons-compress add a PAX header of its own, and GNU tar wants the sparse one right before its entry.
    private static Date wholeSeconds()
    {
        return Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The file being written: {@code partial} until commit renames it to {@code file}. {@code channel} fsyncs
     * and closes it; {@code direct}, when there is one, writes its bytes.
     */
    private record Destination(Path file, Path partial, FileChannel channel, Optional<DirectFileOutput> direct) {}

    /** Keeps the compressor's close from closing the encryption layer, which commit closes itself. */
    private static final class Unclosable
            extends FilterOutputStream
    {
        Unclosable(OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            out.write(bytes, offset, length);
        }

        @Override
        public void close()
                throws IOException
        {
            flush();
        }
    }

    /** Counts the bytes that pass (the archive's, the tar stream's); with a write-behind, has them written to disk behind it. */
    private static final class Counter
            extends FilterOutputStream
    {
        private final WriteBehind writeBehind;
        private long count;

        Counter(OutputStream out, WriteBehind writeBehind)
        {
            super(out);
            this.writeBehind = writeBehind;
        }

        @Override
        public void write(int value)
                throws IOException
        {
            out.write(value);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            out.write(bytes, offset, length);
            count += length;
            writeBehind.written(count);
        }

        /** Closes the write-behind's descriptor only: the channel is closed by the writer, after fsync. */
        @Override
        public void close()
        {
            writeBehind.close();
        }
    }
}
