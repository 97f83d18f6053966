package io.hyperops.task.backup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a guest's archive the backup task hands memory back ({@link MemoryRelease}). In a JVM of its own
 * with the launcher's collector and heap bounds, a heap grown to 160 MiB by buffers that lived long
 * enough to be promoted, as the pipeline's do, and then dropped, shrinks back, and the C heap is trimmed.
 */
final class TestMemoryRelease
{
    private static final long MIB = 1 << 20;

    @Test
    void aHeapGrownByAnArchivesBuffersShrinksBackAndTheCHeapIsTrimmed()
            throws Exception
    {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:-ShrinkHeapInSteps",
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        String[] fields = output.lines().filter(line -> line.startsWith("heap ")).findFirst().orElseThrow(() -> new AssertionError(output)).split(" ");
        long grown = Long.parseLong(fields[1]);
        long released = Long.parseLong(fields[2]);
        assertThat(grown).as("the heap the buffers took").isGreaterThanOrEqualTo(160 * MIB);
        assertThat(released).as("the heap after the release (%s)", output).isLessThan(48 * MIB);
        assertThat(fields[3]).as("malloc_trim called").isEqualTo("trimmed");
    }

    /** Grows the heap with promoted megabyte buffers, drops them, releases, prints the committed heap before and after. */
    public static final class Child
    {
        public static void main(String[] arguments)
                throws IOException
        {
            List<byte[]> buffers = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                buffers.add(new byte[(int) MIB]);
                // a collection while they are held promotes them, as a long archive does with its stages' buffers
                if (i % 40 == 39) {
                    System.gc();
                }
            }
            long grown = Runtime.getRuntime().totalMemory();
            buffers.clear();
            boolean trimmed = MemoryRelease.now();
            System.out.println("heap " + grown + " " + Runtime.getRuntime().totalMemory() + " " + (trimmed ? "trimmed" : "not-trimmed"));
        }
    }
}
