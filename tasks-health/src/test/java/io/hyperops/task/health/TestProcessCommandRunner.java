package io.hyperops.task.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real command runner the checks use: output, exit code, end of input, and the time-out. */
final class TestProcessCommandRunner
{
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void runsACommandAndKeepsItsOutputAndExitCode()
            throws Exception
    {
        CommandRunner.Result result = runner.run(List.of("sh", "-c", "echo active; exit 3"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("active");
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void aCommandReadingInputSeesItsEnd()
            throws Exception
    {
        CommandRunner.Result result = runner.run(List.of("cat"), Duration.ofSeconds(10));

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aCommandPastItsTimeOutIsKilled()
            throws Exception
    {
        long start = System.nanoTime();
        CommandRunner.Result result = runner.run(List.of("sleep", "30"), Duration.ofMillis(200));

        assertThat(result.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
