package io.hyperops.engine;

import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two `hyperops run-job` processes for the same job: one runs, the other says so and exits 3. */
final class TestConcurrentRunJob
{
    @TempDir
    Path folder;

    @Test
    void theSecondProcessSaysAlreadyRunning()
            throws Exception
    {
        Path release = folder.resolve("release");
        Path started = folder.resolve("started");
        Path config = TestingEngine.writeConfig(folder, """
                { "sleepy": { "settings": { "release_file": "%s", "started_file": "%s" } } }
                """.formatted(release, started));

        Process first = JavaProcess.start(folder.resolve("first.out"), Main.class, "run-job", "sleepy", "--config", config.toString());
        try {
            Await.until("the first process to start its run", () -> Files.exists(started) || !first.isAlive());
            assertThat(first.isAlive()).as("first process runs (output: %s)", output(folder.resolve("first.out"))).isTrue();
            String runId = Files.readString(started);

            Process second = JavaProcess.start(folder.resolve("second.out"), Main.class, "run-job", "sleepy", "--config", config.toString());
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(ExitCodes.ALREADY_RUNNING);
            assertThat(output(folder.resolve("second.out")))
                    .contains("job 'sleepy' is already running (pid " + first.pid() + ", run " + runId + "); not started");

            Files.createFile(release);
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(ExitCodes.SUCCESS);
            assertThat(output(folder.resolve("first.out"))).contains(runId + " success");
        }
        finally {
            first.destroyForcibly();
        }
    }

    private static String output(Path file)
            throws java.io.IOException
    {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
