package io.hyperops.task.backup.archive;

import io.hyperops.task.backup.ArchiveCheck;
import io.hyperops.task.backup.Progress;
import io.hyperops.task.backup.TestingDisks;
import io.hyperops.task.backup.TestingGpg;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Archives of a real qcow2 with data, read back by hyperops and by stock gpg, zstd, tar and sha256sum. */
final class TestArchiveRoundTrip
{
    private static TestingGpg gpg;

    @TempDir
    Path folder;

    @BeforeAll
    static void generateKey()
            throws IOException, InterruptedException
    {
        gpg = TestingGpg.generate();
    }

    @AfterAll
    static void removeKey()
            throws IOException, InterruptedException
    {
        gpg.close();
    }

    @Test
    void encryptedArchiveDecryptsAndUnpacksWithStockTools()
            throws Exception
    {
        Path disk = disk();
        String expected = TestingDisks.contentSha256(disk, folder);
        Path archive = folder.resolve("guest.tar.zst.gpg");
        String sha256 = write(disk, archive, Compression.ZSTD, Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now())));
        assertThat(sha256).isEqualTo(expected);

        Path plain = folder.resolve("guest.tar.zst");
        gpg.decrypt(archive, plain);
        Path unpacked = Files.createDirectory(folder.resolve("unpacked"));
        TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + plain + " | tar -x"), unpacked);
        assertThat(TestingDisks.sha256(unpacked.resolve("disks/vda.raw"))).isEqualTo(expected);
        assertThat(TestingDisks.run(List.of("sha256sum", "-c", "SHA256SUMS"), unpacked)).contains("disks/vda.raw: OK", "manifest.json: OK");
        assertThat(Files.readString(unpacked.resolve("manifest.json"))).contains("\"vm_name\" : \"guest\"", "\"encrypted\" : true");
    }

    @Test
    void verifyPassesAndFindsOneFlippedByte()
            throws Exception
    {
        Path disk = disk();
        for (boolean encrypted : new boolean[] {true, false}) {
            Path archive = folder.resolve("flip-" + encrypted + ".tar.zst" + (encrypted ? ".gpg" : ""));
            Optional<RecipientKeys> recipients = encrypted ? Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now())) : Optional.empty();
            String sha256 = write(disk, archive, Compression.ZSTD, recipients);
            BackupManifest manifest = manifest(sha256, encrypted);
            Optional<SecretKeys> keys = Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(gpg.passphraseFile())));

            ArchiveCheck.verify(archive, manifest, keys, Progress.NONE);

            flipByte(archive, Files.size(archive) / 2);
            assertThatThrownBy(() -> ArchiveCheck.verify(archive, manifest, keys, Progress.NONE))
                    .as("encrypted %s", encrypted)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void readsWhatStockGpgEncrypted()
            throws Exception
    {
        Path disk = disk();
        Path plain = folder.resolve("guest.tar.gz");
        String sha256 = write(disk, plain, Compression.GZIP, Optional.empty());
        Path encrypted = folder.resolve("by-gpg.tar.gz.gpg");
        gpg.encrypt(plain, encrypted);

        ArchiveCheck.verify(encrypted, manifest(sha256, true), Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(gpg.passphraseFile()))), Progress.NONE);
        assertThat(sha256).isEqualTo(TestingDisks.contentSha256(disk, folder));
    }

    @Test
    void wrongPassphraseIsReportedWithTheFix()
            throws Exception
    {
        Path disk = disk();
        Path archive = folder.resolve("guest.tar.gpg");
        String sha256 = write(disk, archive, Compression.NONE, Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now())));
        Path wrong = Files.writeString(folder.resolve("wrong"), "not it\n");

        assertThatThrownBy(() -> ArchiveCheck.verify(archive, manifest(sha256, true), Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(wrong))),
                Progress.NONE))
                .hasMessageContaining("passphrase does not unlock")
                .hasMessageContaining("passphrase_file");
    }

    private Path disk()
            throws IOException, InterruptedException
    {
        Path disk = folder.resolve("vda.qcow2");
        if (!Files.exists(disk)) {
            TestingDisks.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "96M");
            TestingDisks.writeData(disk, 1, 96);
        }
        return disk;
    }

    private static String write(Path disk, Path archive, Compression compression, Optional<RecipientKeys> recipients)
            throws IOException, InterruptedException
    {
        try (ArchiveWriter writer = ArchiveWriter.create(archive, compression, compression.defaultLevel(), 0, recipients)) {
            writer.addBytes("manifest.json", ManifestJson.bytes(manifest("", recipients.isPresent())));
            String sha256 = writer.addDisk("disks/vda.raw", DiskImage.inspect(disk), done -> { });
            writer.commit();
            assertThat(Files.exists(writer.partialFile())).isFalse();
            return sha256;
        }
    }

    private static BackupManifest manifest(String sha256, boolean encrypted)
    {
        return new BackupManifest(1, "guest", "00000000-0000-0000-0000-000000000001", "2026-11-26T02:00:00Z", "shut off", 1, true, encrypted, 0, "zstd", 3,
                List.of(), "stopped", 0, "guest.tar.zst", "test",
                List.of(new BackupManifest.Disk("vda", "/var/lib/libvirt/images/guest.qcow2", "qcow2", 96L << 20, 0, "disks/vda.raw", sha256)));
    }

    private static void flipByte(Path file, long position)
            throws IOException
    {
        try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "rw")) {
            access.seek(position);
            int value = access.read();
            access.seek(position);
            access.write(value ^ 0x01);
        }
    }
}
