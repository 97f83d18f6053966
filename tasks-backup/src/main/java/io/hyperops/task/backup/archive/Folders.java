package io.hyperops.task.backup.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a folder, so a rename in it survives a crash. */
public final class Folders
{
    private Folders() {}

    /** fsync of the folder holding {@code file}; a bare file name means the working folder. */
    public static void syncParent(Path file)
            throws IOException
    {
        sync(file.toAbsolutePath().getParent());
    }

    public static void sync(Path folder)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
