package io.hyperops.task.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares written files with the golden copies under {@code src/test/resources/golden/<name>/}. */
final class Golden
{
    private Golden() {}

    static void assertFolderMatches(Path folder, String name)
            throws IOException
    {
        List<String> index = List.of(read(name + "/files").strip().split("\n"));
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted().toList()).as("files in " + folder).isEqualTo(index);
        }
        for (String file : index) {
            assertThat(Files.readString(folder.resolve(file), StandardCharsets.UTF_8)).as(file).isEqualTo(read(name + "/" + file));
        }
    }

    static String read(String path)
            throws IOException
    {
        try (InputStream input = Golden.class.getResourceAsStream("/golden/" + path)) {
            if (input == null) {
                throw new AssertionError("no golden file " + path);
            }
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
