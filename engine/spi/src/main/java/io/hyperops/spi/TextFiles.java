package io.hyperops.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Text files replaced atomically (temp file under a name starting with a dot, fsync, rename, fsync of
 * the folder), for readers that poll them, such as node_exporter's textfile collector.
 */
public interface TextFiles
{
    void write(Path file, String content)
            throws IOException;
}
