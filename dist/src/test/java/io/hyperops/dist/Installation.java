package io.hyperops.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The assembled hyperops tree of this build, driven through its real launcher {@code bin/hyperops}. */
final class Installation
{
    private Installation() {}

    static Path home()
    {
        Path home = Path.of(System.getProperty("hyperops.home", "target/hyperops"));
        assertThat(home.resolve("bin/hyperops")).as("assembled launcher (run 'mvn package' first)").isExecutable();
        return home;
    }

    static Result hyperops(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/hyperops").toString());
        command.addAll(List.of(arguments));
        return run(command);
    }

    static Result run(List<String> command)
            throws IOException, InterruptedException
    {
        Path output = Files.createTempFile("hyperops-out", ".txt");
        Path errors = Files.createTempFile("hyperops-err", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
