package io.hyperops.task.backup.archive;

import io.hyperops.task.backup.ArchiveCheck;
import io.hyperops.task.backup.Progress;
import io.hyperops.task.backup.TestingDisks;
import io.hyperops.task.backup.TestingGpg;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import io.hyperops.task.backup.crypto.GnupgDecryption;
import io.hyperops.task.backup.crypto.GnupgHome;
import io.hyperops.task.backup.crypto.RecipientKeys;
import io.hyperops.task.backup.crypto.SecretKeys;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

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
        String content = TestingDisks.contentSha256(disk, folder);
        Path archive = folder.resolve("guest.tar.zst.gpg");
        String checksum = write(disk, archive, Compression.ZSTD, Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now())));
        assertThat(checksum).isEqualTo(TestingDisks.contentChecksum(disk, folder));

        Path plain = folder.resolve("guest.tar.zst");
        gpg.decrypt(archive, plain);
        Path unpacked = Files.createDirectory(folder.resolve("unpacked"));
        TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + plain + " | tar -x"), unpacked);
        Path raw = unpacked.resolve("disks/vda.raw");
        assertThat(TestingDisks.sha256(raw)).isEqualTo(content);
        // GNU tar made a sparse file: the holes (all but about 6 MiB of 96) take no room
        assertThat(Files.size(raw)).isEqualTo(96L << 20);
        assertThat(Long.parseLong(TestingDisks.run(List.of("stat", "-c", "%b", raw.toString()), unpacked).trim()) * 512).isLessThan(32L << 20);
        assertThat(TestingDisks.run(List.of("sha256sum", "-c", "SHA256SUMS"), unpacked)).contains("disks/vda.raw.sha256-4m: OK", "manifest.json: OK");
        // the disk's chunk list is what stock split and sha256sum compute, and the manifest's checksum is the list's SHA-256
        assertThat(Files.readString(unpacked.resolve("disks/vda.raw.sha256-4m"))).isEqualTo(TestingDisks.chunkList(raw, unpacked));
        assertThat(TestingDisks.sha256(unpacked.resolve("disks/vda.raw.sha256-4m"))).isEqualTo(checksum);
        assertThat(Files.readString(unpacked.resolve("manifest.json"))).contains("\"vm_name\" : \"guest\"", "\"encrypted\" : true");
    }

    @Test
    void encryptedToAKeyringRecipientByEmailOpensWithGpgHomeTheSecretKeyFileAndStockGpg()
            throws Exception
    {
        Path disk = disk();
        Path archive = folder.resolve("keyring.tar.zst.gpg");
        GnupgHome home = GnupgHome.of(gpg.home());
        String sha256 = write(disk, archive, Compression.ZSTD, Optional.of(home.recipients(List.of(TestingGpg.EMAIL), Instant.now())));
        BackupManifest manifest = manifest(sha256, true);
        Optional<DecryptionKeys> throughGpg = Optional.of(new GnupgDecryption(home, Optional.of(gpg.passphraseFile())));

        ArchiveCheck.verify(archive, manifest, throughGpg, Progress.NONE);
        ArchiveCheck.verify(archive, manifest, Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(gpg.passphraseFile()))), Progress.NONE);
        Path plain = folder.resolve("keyring.tar.zst");
        gpg.decrypt(archive, plain);
        assertThat(TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + plain + " | tar -t"), folder)).contains("disks/vda.raw", "SHA256SUMS");

        // gpg's integrity check and exit code reach verify: one flipped byte fails it
        flipByte(archive, Files.size(archive) / 2);
        assertThatThrownBy(() -> ArchiveCheck.verify(archive, manifest, throughGpg, Progress.NONE)).isInstanceOf(IOException.class);
    }

    @Test
    void gpgHomeWithoutTheArchivesSecretKeyNamesTheFix()
            throws Exception
    {
        Path disk = disk();
        Path archive = folder.resolve("other.tar.gpg");
        String sha256 = write(disk, archive, Compression.NONE, Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now())));
        Path emptyHome = Files.createTempDirectory(Path.of("/tmp"), "hbk-empty-");
        try {
            Optional<DecryptionKeys> keys = Optional.of(new GnupgDecryption(GnupgHome.of(emptyHome), Optional.empty()));

            assertThatThrownBy(() -> ArchiveCheck.verify(archive, manifest(sha256, true), keys, Progress.NONE))
                    .hasMessageContaining("gpg_home " + emptyHome + " holds no secret key for the archive's recipients")
                    .hasMessageContaining("--import");
        }
        finally {
            TestingDisks.run("gpgconf", "--homedir", emptyHome.toString(), "--kill", "gpg-agent");
            TestingDisks.run("rm", "-rf", emptyHome.toString());
        }
    }

    @Test
    void discardingWriterRunsEveryLayerYetWritesNoFile()
            throws Exception
    {
        Path disk = disk();
        Optional<RecipientKeys> recipients = Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now()));
        for (Optional<RecipientKeys> encryption : List.of(Optional.<RecipientKeys>empty(), recipients)) {
            Path archive = folder.resolve(encryption.isPresent() ? "written.tar.zst.gpg" : "written.tar.zst");
            write(disk, archive, Compression.ZSTD, encryption);
            List<Path> before;
            try (var files = Files.list(folder)) {
                before = files.toList();
            }
            long discarded;
            String checksum;
            try (ArchiveWriter writer = ArchiveWriter.discarding(archive.getFileName().toString(), Compression.ZSTD, Compression.ZSTD.defaultLevel(), 0, encryption)) {
                writer.addBytes("manifest.json", ManifestJson.bytes(manifest("", encryption.isPresent())));
                checksum = writer.addDisk("disks/vda.raw", DiskImage.inspect(disk), done -> { });
                discarded = writer.commit();
                assertThatThrownBy(writer::partialFile).isInstanceOf(IllegalStateException.class);
            }

            // The same compression, tar layout and OpenPGP packets, as long within a few bytes: every layer
            // ran. Not byte for byte: the tar headers carry the second they were written, whose digits
            // compress a byte or so differently from one second to the next (the OpenPGP layer about 150
            // bytes, zstd's absence megabytes, so the margin still tells them apart).
            assertThat(discarded).as("encrypted: %s", encryption.isPresent()).isCloseTo(Files.size(archive), Offset.offset(24L));
            assertThat(checksum).isEqualTo(TestingDisks.contentChecksum(disk, folder));
            try (var files = Files.list(folder)) {
                assertThat(files.toList()).containsExactlyInAnyOrderElementsOf(before);
            }
        }
    }

    @Test
    void largeSparseDiskCostsWhatItsDataCosts()
            throws Exception
    {
        Path small = disk();
        Path large = folder.resolve("large.qcow2");
        Files.copy(small, large);
        TestingDisks.run("qemu-img", "resize", "-q", large.toString(), "2G");
        String content = TestingDisks.contentSha256(large, folder);
        Path smallArchive = folder.resolve("small.tar.zst");
        Path largeArchive = folder.resolve("large.tar.zst");
        write(small, smallArchive, Compression.ZSTD, Optional.empty());
        String checksum = write(large, largeArchive, Compression.ZSTD, Optional.empty());

        assertThat(Files.size(largeArchive)).isLessThan(Files.size(smallArchive) + (16 << 10));
        // the tar stream holds the map and the written runs (about 6 MiB), not 2 GiB
        assertThat(Long.parseLong(TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + largeArchive + " | wc -c"), folder).trim())).isLessThan(16L << 20);
        assertThat(checksum).isEqualTo(TestingDisks.contentChecksum(large, folder));
        ArchiveCheck.verify(largeArchive, manifest(checksum, false, 2L << 30), Optional.empty(), Progress.NONE);
        Path unpacked = Files.createDirectory(folder.resolve("unpacked-large"));
        TestingDisks.run(List.of("sh", "-c", "zstd -d -c " + largeArchive + " | tar -x"), unpacked);
        assertThat(Files.size(unpacked.resolve("disks/vda.raw"))).isEqualTo(2L << 30);
        assertThat(TestingDisks.sha256(unpacked.resolve("disks/vda.raw"))).isEqualTo(content);
    }

    @Test
    void format1ArchivesWithFullSizeDisksStillVerify()
            throws Exception
    {
        // written as before format 2: the disk as a plain full-size entry, its plain SHA-256 in SHA256SUMS and the manifest
        Path raw = folder.resolve("v1.raw");
        TestingDisks.run("qemu-img", "convert", "-O", "raw", disk().toString(), raw.toString());
        String sha256 = TestingDisks.sha256(raw);
        byte[] manifestJson = ManifestJson.bytes(manifest("", false));
        String manifestSha256 = TestingDisks.sha256(Files.write(folder.resolve("v1-manifest.json"), manifestJson));
        Path archive = folder.resolve("v1.tar.zst");
        try (OutputStream compressed = Compression.ZSTD.compress(Files.newOutputStream(archive), 3, 1);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            putEntry(tar, "manifest.json", manifestJson);
            TarArchiveEntry disk = new TarArchiveEntry("disks/vda.raw");
            disk.setSize(Files.size(raw));
            tar.putArchiveEntry(disk);
            Files.copy(raw, tar);
            tar.closeArchiveEntry();
            putEntry(tar, "SHA256SUMS", (manifestSha256 + "  manifest.json\n" + sha256 + "  disks/vda.raw\n").getBytes(StandardCharsets.UTF_8));
        }
        BackupManifest v1 = new BackupManifest(1, "guest", "00000000-0000-0000-0000-000000000001", "2026-11-26T02:00:00Z", "shut off", 1, true, false, 0, "zstd", 3,
                List.of(), "stopped", 0, "v1.tar.zst", "test", List.of(new BackupManifest.Disk("vda", "/x/guest.qcow2", "qcow2", 96L << 20, 0, "disks/vda.raw", sha256)));

        ArchiveCheck.verify(archive, v1, Optional.empty(), Progress.NONE);
        BackupManifest wrong = new BackupManifest(1, "guest", "00000000-0000-0000-0000-000000000001", "2026-11-26T02:00:00Z", "shut off", 1, true, false, 0, "zstd", 3,
                List.of(), "stopped", 0, "v1.tar.zst", "test", List.of(new BackupManifest.Disk("vda", "/x/guest.qcow2", "qcow2", 96L << 20, 0, "disks/vda.raw",
                        TestingDisks.contentChecksum(disk(), folder))));
        assertThatThrownBy(() -> ArchiveCheck.verify(archive, wrong, Optional.empty(), Progress.NONE)).isInstanceOf(IOException.class).hasMessageContaining("disk vda");
    }

    private static void putEntry(TarArchiveOutputStream tar, String name, byte[] content)
            throws IOException
    {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
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
            Optional<DecryptionKeys> keys = Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(gpg.passphraseFile())));

            ArchiveCheck.verify(archive, manifest, keys, Progress.NONE);

            flipByte(archive, Files.size(archive) / 2);
            assertThatThrownBy(() -> ArchiveCheck.verify(archive, manifest, keys, Progress.NONE))
                    .as("encrypted %s", encrypted)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void archivesGoPastThePageCacheAndThroughItWhereDirectWritesAreOff()
            throws Exception
    {
        assumeThat(Files.getFileStore(folder).type()).as("a file system with a page cache apart from the file's own memory").isNotEqualTo("tmpfs");
        // noise, so that the archive has megabytes to cache
        Path disk = folder.resolve("noise.raw");
        byte[] noise = new byte[4 << 20];
        new Random(5).nextBytes(noise);
        Files.write(disk, noise);
        Optional<RecipientKeys> recipients = Optional.of(RecipientKeys.load(gpg.publicKey(), Instant.now()));
        Optional<DecryptionKeys> keys = Optional.of(SecretKeys.load(gpg.secretKey(), Optional.of(gpg.passphraseFile())));
        Path direct = folder.resolve("direct.tar.zst.gpg");
        String sha256 = write(disk, direct, Compression.ZSTD, recipients);
        // at most the last page, whose tail past the archive's length the truncation zeroes through the cache
        assertThat(PageCache.cachedPages(direct, 0, 0)).as("pages of the archive in the page cache").isLessThanOrEqualTo(1);
        ArchiveCheck.verify(direct, manifest(sha256, true, noise.length), keys, Progress.NONE);

        Path buffered = folder.resolve("buffered.tar.zst.gpg");
        System.setProperty("hyperops.backup.direct-io", "false");
        try {
            assertThat(write(disk, buffered, Compression.ZSTD, recipients)).isEqualTo(sha256);
        }
        finally {
            System.clearProperty("hyperops.backup.direct-io");
        }
        assertThat(PageCache.cachedPages(buffered, 0, 0)).isGreaterThan(Files.size(buffered) / 4096 / 2);
        ArchiveCheck.verify(buffered, manifest(sha256, true, noise.length), keys, Progress.NONE);
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
        assertThat(sha256).isEqualTo(TestingDisks.contentChecksum(disk, folder));
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
        try (ArchiveWriter writer = ArchiveWriter.create(archive, compression, compression.defaultLevel(), 0, recipients, IoPriority.UNCHANGED, Throttle.unlimited())) {
            writer.addBytes("manifest.json", ManifestJson.bytes(manifest("", recipients.isPresent())));
            String sha256 = writer.addDisk("disks/vda.raw", DiskImage.inspect(disk), done -> { });
            writer.commit();
            assertThat(Files.exists(writer.partialFile())).isFalse();
            return sha256;
        }
    }

    private static BackupManifest manifest(String sha256, boolean encrypted)
    {
        return manifest(sha256, encrypted, 96L << 20);
    }

    private static BackupManifest manifest(String sha256, boolean encrypted, long virtualSize)
    {
        return new BackupManifest(BackupManifest.FORMAT_VERSION, "guest", "00000000-0000-0000-0000-000000000001", "2026-11-26T02:00:00Z", "shut off", 1, true, encrypted, 0, "zstd", 3,
                List.of(), "stopped", 0, "guest.tar.zst", "test",
                List.of(new BackupManifest.Disk("vda", "/var/lib/libvirt/images/guest.qcow2", "qcow2", virtualSize, 0, "disks/vda.raw", sha256)));
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
