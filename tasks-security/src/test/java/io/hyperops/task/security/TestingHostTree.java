package io.hyperops.task.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/** A prepared host tree under a root folder: files with modes, and disk images made by the real qemu-img. */
public final class TestingHostTree
{
    private final Path root;

    public TestingHostTree(Path root)
    {
        this.root = requireNonNull(root, "root is null");
    }

    public Path root()
    {
        return root;
    }

    /** Writes {@code text} to the host path {@code absolute} under the root, with the mode given as {@code rw-r-----}. */
    public Path file(String absolute, String text, String mode)
            throws IOException
    {
        Path file = path(absolute);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    public Path file(String absolute, String text)
            throws IOException
    {
        return file(absolute, text, "rw-r--r--");
    }

    public Path folder(String absolute, String mode)
            throws IOException
    {
        Path folder = path(absolute);
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        return folder;
    }

    public Path path(String absolute)
    {
        return new HostRoot(root).resolve(absolute);
    }

    /** An unencrypted qcow2, as {@code qemu-img create -f qcow2} makes it. */
    public Path plainQcow2(String absolute)
            throws IOException, InterruptedException
    {
        Path image = path(absolute);
        Files.createDirectories(image.getParent());
        qemuImg(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"));
        return image;
    }

    /** A qcow2 with LUKS encryption inside; a short iteration time keeps the test fast. */
    public Path luksQcow2(String absolute, Path passphraseFile)
            throws IOException, InterruptedException
    {
        Path image = path(absolute);
        Files.createDirectories(image.getParent());
        qemuImg(List.of("qemu-img", "create", "-q", "--object", "secret,id=sec0,file=" + passphraseFile, "-f", "qcow2",
                "-o", "encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10", image.toString(), "64M"));
        return image;
    }

    /** A raw LUKS image: format luks. */
    public Path luksRaw(String absolute, Path passphraseFile)
            throws IOException, InterruptedException
    {
        Path image = path(absolute);
        Files.createDirectories(image.getParent());
        qemuImg(List.of("qemu-img", "create", "-q", "--object", "secret,id=sec0,file=" + passphraseFile, "-f", "luks",
                "-o", "key-secret=sec0,iter-time=10", image.toString(), "64M"));
        return image;
    }

    private static void qemuImg(List<String> command)
            throws IOException, InterruptedException
    {
        for (int attempt = 1; ; attempt++) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return;
            }
            // QEMU times its key derivation before it creates a LUKS image and, on a busy machine, now and
            // then fails that measurement (seen in CI); a new attempt creates the image anew
            if (attempt == 3 || !output.contains("Unable to get accurate CPU usage")) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
