package io.hyperops.task.backup.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder chores: fsync of a folder, so a rename in it survives a crash; deleting a folder tree. */
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

    /** Deletes the folder and everything in it, deepest first; nothing when it is not there. */
    public static void deleteTree(Path folder)
            throws IOException
    {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
