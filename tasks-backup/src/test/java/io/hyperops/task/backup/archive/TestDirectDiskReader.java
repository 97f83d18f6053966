package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Direct reads of disk extents against the real kernel: spans at any offset and length, a file's end, the page cache left alone. */
final class TestDirectDiskReader
{
    private static final int MIB = 1 << 20;

    @TempDir
    Path folder;

    @Test
    void spansAtAnyOffsetAndLengthComeBackExactlyAcrossTwoFiles()
            throws IOException
    {
        byte[] first = random(3 * MIB + 777, 1);
        byte[] second = random(MIB + 5, 2);
        Path a = Files.write(folder.resolve("base.raw"), first);
        Path b = Files.write(folder.resolve("overlay.raw"), second);
        // unaligned starts and ends, a whole buffer, a span across a page, one that ends at each file's unaligned end
        List<DirectDiskReader.Span> spans = List.of(
                new DirectDiskReader.Span(a, 1000, 5000),
                new DirectDiskReader.Span(b, 0, MIB),
                new DirectDiskReader.Span(a, 4096, MIB),
                new DirectDiskReader.Span(a, 4095, 2),
                new DirectDiskReader.Span(b, MIB, 5),
                new DirectDiskReader.Span(a, first.length - 12_345, 12_345));
        byte[] into = new byte[MIB];
        try (DirectDiskReader reader = open(spans)) {
            for (DirectDiskReader.Span span : spans) {
                reader.next(into);
                byte[] expected = span.file().equals(a) ? first : second;
                assertThat(Arrays.copyOf(into, span.length())).as("%s", span)
                        .isEqualTo(Arrays.copyOfRange(expected, (int) span.offset(), (int) span.offset() + span.length()));
            }
        }
    }

    @Test
    void aSpanPastTheFilesEndIsReportedWithTheFile()
            throws IOException
    {
        Path disk = Files.write(folder.resolve("short.raw"), random(10_000, 3));
        try (DirectDiskReader reader = open(List.of(new DirectDiskReader.Span(disk, 8192, 4096)))) {
            assertThatThrownBy(() -> reader.next(new byte[MIB])).isInstanceOf(IOException.class).hasCauseInstanceOf(EOFException.class)
                    .hasMessageContaining("short.raw ended at 10000 inside an extent qemu-img reported as data");
        }
    }

    @Test
    void aBackupOfADiskLeavesItsDataOutOfThePageCache()
            throws Exception
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with a page cache apart from the file's own memory").isNotEqualTo("tmpfs");
        byte[] content = random(4 * MIB, 4);
        // written past the cache, so that nothing of it is there before the backup reads it
        Path disk = Files.createFile(folder.resolve("disk.raw"));
        try (DirectFileOutput out = DirectFileOutput.open(disk, "test-direct", IoPriority.UNCHANGED).orElseThrow()) {
            out.write(content);
            out.finish();
        }
        DiskImage image = DiskImage.inspect(disk);
        long before = PageCache.cachedPages(disk, 0, 0);

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        DiskStreamer.stream(image, streamed, Throttle.unlimited(), done -> { });

        assertThat(streamed.toByteArray()).isEqualTo(content);
        // qemu-img's look at the file's first sectors leaves a few pages; the backup adds none (a buffered read adds all 1024)
        assertThat(PageCache.cachedPages(disk, 0, 0)).as("pages of the disk in the page cache, %d before the backup read it", before).isLessThanOrEqualTo(before);
    }

    private static DirectDiskReader open(List<DirectDiskReader.Span> spans)
            throws IOException
    {
        Set<Path> files = spans.stream().map(DirectDiskReader.Span::file).collect(Collectors.toSet());
        Optional<DirectDiskReader> reader = DirectDiskReader.open(files, spans.iterator(), "test-disk-reader");
        assertThat(reader).as("O_DIRECT on the disks").isPresent();
        return reader.get();
    }

    private static byte[] random(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
