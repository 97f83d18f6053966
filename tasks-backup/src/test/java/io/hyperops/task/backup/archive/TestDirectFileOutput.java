package io.hyperops.task.backup.archive;

import io.hyperops.task.backup.TestingDisks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Direct writes against the real kernel and file systems: exact bytes and length, no page cache, a full disk named. */
final class TestDirectFileOutput
{
    @TempDir
    Path folder;
    private Path mounted;

    @AfterEach
    void unmount()
            throws IOException, InterruptedException
    {
        if (mounted != null) {
            TestingDisks.run("umount", mounted.toString());
        }
    }

    @Test
    void piecesOfAnySizeComeBackExactlyAndNoneStaysInThePageCache()
            throws IOException
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with a page cache apart from the file's own memory").isNotEqualTo("tmpfs");
        byte[] content = new byte[3 * DirectFileOutput.BUFFER + 4097];
        new Random(7).nextBytes(content);
        Path file = Files.createFile(folder.resolve("archive.partial"));
        try (DirectFileOutput out = open(file)) {
            int at = 0;
            // odd pieces: single bytes, pieces across the buffer's end, one larger than a buffer
            for (int size : new int[] {1, 100, 70_000, DirectFileOutput.BUFFER + 3, 1, 512}) {
                out.write(content, at, size);
                at += size;
            }
            out.write(content[at++]);
            out.write(content, at, content.length - at);
            out.finish();
        }

        // read before the content is, which brings it into the cache; the one page allowed is the last, whose tail
        // past the length the truncation zeroes through the cache
        assertThat(PageCache.cachedPages(file, 0, 0)).as("pages of the file in the page cache, of %d", content.length / 4096).isLessThanOrEqualTo(1);
        assertThat(Files.size(file)).isEqualTo(content.length);
        assertThat(Arrays.equals(Files.readAllBytes(file), content)).isTrue();
    }

    @Test
    void aBufferedWriteOfTheSameFileDoesFillThePageCache()
            throws IOException
    {
        // the measure above can tell: the same bytes written plainly are in the cache afterwards
        assumeThat(Files.getFileStore(folder).type()).isNotEqualTo("tmpfs");
        Path file = folder.resolve("plain");
        Files.write(file, new byte[DirectFileOutput.BUFFER]);
        assertThat(PageCache.cachedPages(file, 0, 0)).isGreaterThan(1);
    }

    @Test
    void nothingAndWholeBuffersNeedNoPadding()
            throws IOException
    {
        Path empty = Files.createFile(folder.resolve("empty"));
        try (DirectFileOutput out = open(empty)) {
            out.finish();
        }
        assertThat(Files.size(empty)).isZero();

        byte[] two = new byte[2 * DirectFileOutput.BUFFER];
        new Random(8).nextBytes(two);
        Path whole = Files.createFile(folder.resolve("whole"));
        try (DirectFileOutput out = open(whole)) {
            out.write(two);
            out.finish();
        }
        assertThat(Files.readAllBytes(whole)).isEqualTo(two);
    }

    @Test
    void aFullDiskIsReportedAsSuchAtTheNextWriteOrAtFinish()
            throws IOException, InterruptedException
    {
        mounted = Files.createDirectory(folder.resolve("small"));
        try {
            TestingDisks.run("mount", "-t", "tmpfs", "-o", "size=4m", "hbk-direct-full", mounted.toString());
        }
        catch (IOException e) {
            mounted = null;
            assumeThat(e.getMessage()).as("mounting a small tmpfs (root)").isNull();
        }
        Path file = Files.createFile(mounted.resolve("archive.partial"));
        Optional<DirectFileOutput> direct = DirectFileOutput.open(file, "test-direct", IoPriority.UNCHANGED);
        assumeThat(direct).as("tmpfs with O_DIRECT (Linux 6.6 and later)").isPresent();
        byte[] chunk = new byte[DirectFileOutput.BUFFER];
        try (DirectFileOutput out = direct.get()) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 8; i++) {
                    out.write(chunk);
                }
                out.finish();
            }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        }
    }

    @Test
    void switchedOffItLeavesTheFileToBufferedWrites()
            throws IOException
    {
        Path file = Files.createFile(folder.resolve("archive.partial"));
        String before = System.getProperty("hyperops.backup.direct-io");
        System.setProperty("hyperops.backup.direct-io", "false");
        try {
            assertThat(DirectFileOutput.open(file, "test-direct", IoPriority.UNCHANGED)).isEmpty();
        }
        finally {
            if (before == null) {
                System.clearProperty("hyperops.backup.direct-io");
            }
            else {
                System.setProperty("hyperops.backup.direct-io", before);
            }
        }
    }

    private static DirectFileOutput open(Path file)
    {
        Optional<DirectFileOutput> direct = DirectFileOutput.open(file, "test-direct", IoPriority.UNCHANGED);
        assertThat(direct).as("O_DIRECT on " + file).isPresent();
        return direct.get();
    }
}
