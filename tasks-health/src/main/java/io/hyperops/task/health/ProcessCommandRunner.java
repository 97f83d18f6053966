package io.hyperops.task.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link CommandRunner} over {@link ProcessBuilder}: output is read on a side thread so a chatty
 * program cannot block on a full pipe, and a program still running at the time-out is killed with its
 * children.
 */
public final class ProcessCommandRunner
        implements CommandRunner
{
    @Override
    public Result run(List<String> command, Duration timeout)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // No input for it: a program that reads stdin sees end of file instead of waiting for us.
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Result(-1, "", true);
            }
            return new Result(process.exitValue(), output.join().strip(), false);
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
