package io.hyperops.engine;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real process killed with SIGKILL while it rewrites a state file leaves a whole file, old or new. */
final class TestStateFileSurvivesKill
{
    private static final int KILLS = 12;

    @TempDir
    Path folder;

    @Test
    void killedWritersNeverLeaveABrokenFile()
            throws Exception
    {
        Path file = folder.resolve("state.json");
        JsonFileStore files = new JsonFileStore(JsonMapper.create());
        int lastSeen = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            int previous = lastSeen;
            // each writer goes on from the last generation seen: "newer than before" then means its own first write
            Process writer = JavaProcess.start(folder.resolve("writer.log"), StateWriterMain.class, file.toString(), String.valueOf(previous + 1));
            Await.until("the writer to get going", () -> Files.exists(file) && !writer.isAlive() || Files.exists(file) && readGeneration(files, file) > previous);
            Thread.sleep(ThreadLocalRandom.current().nextInt(50, 400));
            // destroyForcibly is SIGKILL on Linux: no shutdown hooks, no finally blocks.
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.exitValue()).isEqualTo(137);

            StateWriterMain.Generation survivor = files.read(file, StateWriterMain.Generation.class).orElseThrow();
            assertThat(survivor.consistent()).as("generation %d is whole", survivor.number()).isTrue();
            lastSeen = survivor.number();
        }
    }

    private static int readGeneration(JsonFileStore files, Path file)
    {
        return files.read(file, StateWriterMain.Generation.class).map(StateWriterMain.Generation::number).orElse(0);
    }
}
