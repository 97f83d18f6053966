package io.hyperops.task.backup.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code qemu-img}, the one tool the backup task asks about images and has convert, commit and
 * check them. Its output and its errors are kept apart (a warning on stderr must not spoil the JSON of
 * {@code info} and {@code map}); a caller that is stopped kills it rather than leave it writing.
 */
public final class QemuImg
{
    private QemuImg() {}

    public record Result(int exit, String output, String errors)
    {
        /** Output and errors as one line each, for a message. */
        public String text()
        {
            return (output.strip() + "\n" + errors.strip()).strip().replaceAll("\\s*\n\\s*", "; ");
        }
    }

    /** @param arguments after {@code qemu-img}, e.g. {@code info --output=json FILE} */
    public static Result run(List<String> arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add("qemu-img");
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // Both streams are read on threads of their own: a read from a pipe ignores interrupts, so the
        // caller waits in waitFor, where a stopped restore or backup is noticed while qemu-img still runs.
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread outputReader = new Thread(() -> copyQuietly(process.getInputStream(), output, "stdout"), "qemu-img-stdout");
        Thread errorReader = new Thread(() -> copyQuietly(process.getErrorStream(), errors, "stderr"), "qemu-img-stderr");
        outputReader.start();
        errorReader.start();
        try {
            int exit = process.waitFor();
            outputReader.join();
            errorReader.join();
            return new Result(exit, output.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** @return its output @throws IOException when it fails, with its own error */
    public static String checked(List<String> arguments)
            throws IOException, InterruptedException
    {
        Result result = run(arguments);
        if (result.exit() != 0) {
            throw new IOException("qemu-img " + String.join(" ", arguments) + " failed (exit " + result.exit() + "): " + result.errors().strip());
        }
        return result.output();
    }

    private static void copyQuietly(InputStream in, ByteArrayOutputStream out, String stream)
    {
        try (in) {
            in.transferTo(out);
        }
        catch (IOException e) {
            out.writeBytes(("(" + stream + " unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8));
        }
    }
}
