package io.hyperops.task.health.cleanup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Space a user can still fill on the file system of a folder; a seam so tests can play a full disk. */
@FunctionalInterface
public interface FreeSpace
{
    long usableBytes(Path folder)
            throws IOException;

    /** The real file system's figure. */
    static FreeSpace fileSystem()
    {
        return folder -> {
            Path existing = folder.toAbsolutePath();
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent();
            }
            return Files.getFileStore(existing).getUsableSpace();
        };
    }
}
