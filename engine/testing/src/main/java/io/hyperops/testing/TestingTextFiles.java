package io.hyperops.testing;

import io.hyperops.spi.TextFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@link TextFiles} for tests: a temp file renamed into place, as the engine does, without the fsyncs. */
public final class TestingTextFiles
        implements TextFiles
{
    @Override
    public void write(Path file, String content)
            throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
