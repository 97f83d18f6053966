package io.hyperops.task.backup;

import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guest-free self-test with the real qemu-img, zstd, OpenSSL and Bouncy Castle, and what it leaves behind: nothing. */
final class TestBackupSelfTest
{
    @TempDir
    Path folder;

    @Test
    void archivesReadsBackAndRestoresAGeneratedDiskWithTheConfiguredCompression()
            throws Exception
    {
        for (String compression : new String[] {"zstd", "gzip", "none"}) {
            StringWriter out = new StringWriter();
            BackupSelfTest.run(TestingSettings.of(BackupSettings.class, "compression", compression), folder, 6, new PrintWriter(out));

            assertThat(out.toString()).as(compression)
                    .contains("a 6 MiB disk of 40 % noise, 30 % holes, 30 % text")
                    .containsPattern("archive +" + compression + " level \\d+, AES-256 through OpenSSL \\(libcrypto\\): \\d+ bytes")
                    .contains("bit-identical to the generated disk")
                    .endsWith("backup self-test passed\n");
            assertThat(leftovers()).as("the scratch folder is gone").isEmpty();
        }
    }

    @Test
    void aFileGivenAsTheFolderIsRefusedWithWhatToGiveInstead()
            throws IOException
    {
        Path file = Files.writeString(folder.resolve("not-a-folder"), "x");

        assertThatThrownBy(() -> BackupSelfTest.run(BackupSettings.defaults(), file, 4, new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--dir " + file + " is not a folder");
    }

    private Stream<Path> leftovers()
            throws IOException
    {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList().stream();
        }
    }
}
