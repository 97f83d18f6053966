package io.hyperops.task.network;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs {@code ip}, {@code ping} and {@code sh} on the host, or inside a network namespace when made with
 * {@link #namespace(String)}: the prefix is the only difference, so tests run the production code paths
 * against namespaces they create and never touch the host's own interfaces.
 */
public final class HostShell
{
    private static final File NO_INPUT = new File("/dev/null");
    private final List<String> prefix;

    private HostShell(List<String> prefix)
    {
        this.prefix = List.copyOf(requireNonNull(prefix, "prefix is null"));
    }

    public static HostShell host()
    {
        return new HostShell(List.of());
    }

    /** Every command through {@code ip netns exec NAME}, which also gives it the namespace's {@code /sys/class/net}. */
    public static HostShell namespace(String name)
    {
        return new HostShell(List.of("ip", "netns", "exec", name));
    }

    /** What goes in front of each command; empty on the host. */
    public List<String> prefix()
    {
        return prefix;
    }

    public List<String> command(List<String> command)
    {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /**
     * @throws IOException when the program cannot be started (not installed)
     */
    public Result run(List<String> command, Duration timeout)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command(command)).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> error = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Result(-1, "", String.join(" ", command) + ": timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output.join(), error.join().strip());
        }
        catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /** Runs a command that must succeed; its error output becomes the message. */
    public String output(List<String> command, Duration timeout)
            throws IOException, InterruptedException
    {
        Result result = run(command, timeout);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.error());
        }
        return result.output();
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

    /** @param exitCode -1 when the program was killed at its time-out */
    public record Result(int exitCode, String output, String error)
    {
        public Result
        {
            requireNonNull(output, "output is null");
            requireNonNull(error, "error is null");
        }

        public boolean succeeded()
        {
            return exitCode == 0;
        }
    }
}
