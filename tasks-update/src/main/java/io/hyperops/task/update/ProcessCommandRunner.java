package io.hyperops.task.update;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} over {@link ProcessBuilder}: output is read on a side thread so a chatty
 * program (apt, nixos-rebuild) cannot block on a full pipe; a program still running at the time-out,
 * or when the run is interrupted, is killed with its children. Standard input is closed so that no
 * program waits for an answer (git asking for a password, apt asking to continue).
 */
public final class ProcessCommandRunner
        implements CommandRunner
{
    @Override
    public Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        // Java would blame the program ("Cannot run program") for a missing working folder.
        if (!Files.isDirectory(directory)) {
            throw new IOException("cannot run '" + String.join(" ", command) + "': its working folder " + directory + " does not exist");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Result(command, -1, "", true);
            }
            return new Result(command, process.exitValue(), output.join().strip(), false);
        }
        catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static void kill(Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
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
