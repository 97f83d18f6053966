package io.hyperops.task.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Disk images with known content, written with stock qemu-io, and the SHA-256 of what a guest sees. */
public final class TestingDisks
{
    private TestingDisks() {}

    /** Writes patterned runs and an explicit zero run into a disk no guest is using, the last one in its final MiB. */
    public static void writeData(Path disk, int seed, int sizeMib)
            throws IOException, InterruptedException
    {
        run("qemu-io", "-f", "qcow2",
                "-c", "write -P 0x" + Integer.toHexString(0x10 + seed) + " 1M 3M",
                "-c", "write -P 0x" + Integer.toHexString(0x80 + seed) + " " + (sizeMib * 2 / 3) + "M 2M",
                "-c", "write -z " + (sizeMib / 8) + "M 1M",
                "-c", "write -P 0x" + Integer.toHexString(0x40 + seed) + " " + (sizeMib - 1) + "M 512K",
                disk.toString());
    }

    /** The guest-visible content's SHA-256, read through a raw copy made by qemu-img. */
    public static String contentSha256(Path disk, Path scratch)
            throws IOException, InterruptedException
    {
        Path raw = scratch.resolve(disk.getFileName() + ".check.raw");
        run("qemu-img", "convert", "-U", "-O", "raw", disk.toString(), raw.toString());
        try {
            return sha256(raw);
        }
        finally {
            Files.deleteIfExists(raw);
        }
    }

    /**
     * The guest-visible content's checksum as the manifest defines it (format 2): the SHA-256 of the list
     * of 4 MiB chunk digests, computed here with stock {@code split} and {@code sha256sum}, not our code.
     */
    public static String contentChecksum(Path disk, Path scratch)
            throws IOException, InterruptedException
    {
        Path raw = scratch.resolve(disk.getFileName() + ".check.raw");
        run("qemu-img", "convert", "-U", "-O", "raw", disk.toString(), raw.toString());
        try {
            Path list = scratch.resolve(disk.getFileName() + ".check.list");
            Files.writeString(list, chunkList(raw, scratch));
            try {
                return sha256(list);
            }
            finally {
                Files.deleteIfExists(list);
            }
        }
        finally {
            Files.deleteIfExists(raw);
        }
    }

    /** The SHA-256 of each 4 MiB chunk of {@code file}, one hex line each, by stock {@code split --filter=sha256sum}. */
    public static String chunkList(Path file, Path folder)
            throws IOException, InterruptedException
    {
        return run(List.of("sh", "-c", "split -b 4194304 --filter=sha256sum '" + file + "' | cut -c1-64"), folder);
    }

    public static String sha256(Path file)
            throws IOException
    {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String run(String... command)
            throws IOException, InterruptedException
    {
        return run(List.of(command), null);
    }

    /** Runs a command (a shell pipeline with {@code sh -c}) in {@code folder}; fails with its output when it fails. */
    public static String run(List<String> command, Path folder)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
        return output.toString(StandardCharsets.UTF_8);
    }
}
