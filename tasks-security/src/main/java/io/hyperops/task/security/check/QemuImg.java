package io.hyperops.task.security.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Reads an image's format and encryption with {@code qemu-img info --output=json -U}. {@code -U} shares
 * the image with a running guest's QEMU, which holds a write lock on it; reading the header is safe.
 */
public final class QemuImg
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration timeout;

    public QemuImg(Duration timeout)
    {
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /**
     * @param format {@code qcow2}, {@code raw}, {@code luks}, ...
     * @param encryption the encryption qemu reports: {@code luks} or {@code aes} (qcow2's legacy one); empty when the image is not encrypted
     */
    public record Info(String format, Optional<String> encryption)
    {
        public Info
        {
            requireNonNull(format, "format is null");
            requireNonNull(encryption, "encryption is null");
        }
    }

    public Info info(Path image)
            throws IOException, InterruptedException
    {
        List<String> command = List.of("qemu-img", "info", "--output=json", "-U", image.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        }
        catch (IOException e) {
            throw new IOException("cannot run qemu-img (" + e.getMessage() + "); install qemu-utils", e);
        }
        // qemu-img reads nothing; an open stdin would only let it wait for a terminal
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("qemu-img info " + image + " did not finish within " + timeout);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        if (process.exitValue() != 0) {
            throw new IOException("qemu-img info " + image + " failed: " + errors.join().strip());
        }
        return parse(output.join());
    }

    static Info parse(String json)
            throws IOException
    {
        JsonNode info = JSON.readTree(json);
        String format = info.path("format").asText("");
        if (format.equals("luks")) {
            return new Info(format, Optional.of("luks"));
        }
        if (!info.path("encrypted").asBoolean(false)) {
            return new Info(format, Optional.empty());
        }
        String encryption = info.path("format-specific").path("data").path("encrypt").path("format").asText("");
        // qemu reports a qcow2 with the legacy scheme as encrypted without the luks block
        return new Info(format, Optional.of(encryption.isEmpty() ? "aes" : encryption));
    }

    private static String readAll(InputStream input)
    {
        try (input) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            input.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
