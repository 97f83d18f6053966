package io.hyperops.task.backup.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Direct reads against the real kernel: every length comes back exactly, and reading leaves nothing in the page cache. */
final class TestDirectFileInput
{
    @TempDir
    Path folder;

    @Test
    void filesOfAnyLengthReadBackExactlyInPiecesOfAnySize()
            throws IOException
    {
        Random random = new Random(11);
        for (int length : new int[] {0, 1, 4095, 4096, DirectFileInput.BUFFER - 1, DirectFileInput.BUFFER, DirectFileInput.BUFFER + 1,
                3 * DirectFileInput.BUFFER + 4097}) {
            byte[] content = new byte[length];
            random.nextBytes(content);
            Path file = Files.write(folder.resolve("file-" + length), content);
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            try (InputStream in = open(file)) {
                byte[] piece = new byte[70_001];
                int size = 1;
                int n;
                // single bytes, small pieces, pieces across the buffer's end
                while ((n = in.read(piece, 0, size)) >= 0) {
                    read.write(piece, 0, n);
                    size = size * 7 % piece.length + 1;
                }
                assertThat(in.read()).as("still at the end").isEqualTo(-1);
            }
            assertThat(read.toByteArray()).as("%d bytes", length).isEqualTo(content);
        }
    }

    @Test
    void readingAnArchiveLeavesItOutOfThePageCache()
            throws IOException
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with a page cache apart from the file's own memory").isNotEqualTo("tmpfs");
        byte[] content = new byte[2 * DirectFileInput.BUFFER + 100];
        new Random(12).nextBytes(content);
        Path file = Files.createFile(folder.resolve("archive"));
        try (DirectFileOutput out = DirectFileOutput.open(file, "test-direct", IoPriority.UNCHANGED).orElseThrow()) {
            out.write(content);
            out.finish();
        }
        long before = PageCache.cachedPages(file, 0, 0);

        try (InputStream in = open(file)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }

        assertThat(PageCache.cachedPages(file, 0, 0)).as("pages of the file in the page cache, of %d", content.length / 4096).isEqualTo(before).isLessThanOrEqualTo(1);
    }

    @Test
    void aClosedStreamRefusesToRead()
            throws IOException
    {
        Path file = Files.write(folder.resolve("file"), new byte[10]);
        InputStream in = open(file);
        in.close();
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void switchedOffItLeavesTheFileToBufferedReads()
            throws IOException
    {
        Path file = Files.write(folder.resolve("file"), new byte[10]);
        System.setProperty("hyperops.backup.direct-io", "false");
        try {
            assertThat(DirectFileInput.open(file, "test-direct")).isEmpty();
        }
        finally {
            System.clearProperty("hyperops.backup.direct-io");
        }
    }

    private static InputStream open(Path file)
            throws IOException
    {
        Optional<InputStream> direct = DirectFileInput.open(file, "test-direct");
        assertThat(direct).as("O_DIRECT on " + file).isPresent();
        return direct.get();
    }
}
