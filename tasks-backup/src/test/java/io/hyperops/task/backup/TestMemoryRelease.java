package io.hyperops.task.backup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a guest's archive the backup task hands memory back ({@link MemoryRelease}). In a JVM of its own
 * with the launcher's collector and heap options (read from {@code dist/src/main/bin/hyperops}), a heap grown to 160 MiB by buffers that lived long
 * enough to be promoted, as the pipeline's do, and then dropped, shrinks back, and the C heap is trimmed.
 */
final class TestMemoryRelease
{
    private static final long MIB = 1 << 20;

    @Test
    void aHeapGrownByAnArchivesBuffersShrinksBackAndTheCHeapIsTrimmed()
            throws Exception
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherHeapOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
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

    /** The collector and heap options of the installed launcher, read from its source: what the daemon runs with. */
    private static List<String> launcherHeapOptions()
            throws IOException
    {
        String launcher = Files.readString(Path.of("..", "dist", "src", "main", "bin", "hyperops"));
        List<String> options = new ArrayList<>();
        Matcher matcher = Pattern.compile("-XX:[+-]?(?:UseSerialGC|ShrinkHeapInSteps|MinHeapFreeRatio=\\d+|MaxHeapFreeRatio=\\d+)|-Xm[sx]\\d+m").matcher(launcher);
        while (matcher.find()) {
            options.add(matcher.group());
        }
        assertThat(options).as("the launcher's heap options").contains("-XX:+UseSerialGC").anyMatch(option -> option.startsWith("-Xmx"));
        return options;
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
