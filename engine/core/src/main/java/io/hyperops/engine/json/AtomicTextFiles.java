package io.hyperops.engine.json;

import io.hyperops.spi.TextFiles;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@link TextFiles} through {@link AtomicFiles}: the temp file's leading dot keeps globbing readers off it. */
public final class AtomicTextFiles
        implements TextFiles
{
    @Inject
    public AtomicTextFiles() {}

    @Override
    public void write(Path file, String content)
            throws IOException
    {
        try {
            AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
