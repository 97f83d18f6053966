package io.hyperops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@code qemu-img}, which makes disk images exactly as a host's own tools would. */
final class QemuImg
{
    private QemuImg() {}

    /** Creates an empty, sparse qcow2 image of the given virtual size, e.g. {@code 1G}. */
    static void createQcow2(Path path, String size)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", path.toString(), size)
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            throw new IOException("Cannot run qemu-img (" + e.getMessage()
                    + "); run scripts/setup-testbed.sh as root to install qemu-utils", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exitCode = process.waitFor();
            if (exitCode != 0) {
                throw new IOException("qemu-img create " + path + " failed with exit code " + exitCode + ": " + output);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while qemu-img created " + path, e);
        }
    }
}
