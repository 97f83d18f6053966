package io.hyperops.task.health.cleanup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The files some process has open now, from {@code /proc/<pid>/fd}: a {@code *.tmp} or {@code .partial-*}
 * file that is open is in use (a guest's overlay, a download in progress), whatever its age says.
 * Processes this one may not look into (it runs as root in the daemon) are skipped.
 */
final class OpenFiles
{
    private final Set<Path> open;

    private OpenFiles(Set<Path> open)
    {
        this.open = open;
    }

    static OpenFiles now()
    {
        Set<Path> open = new HashSet<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), path -> path.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path descriptor : descriptors) {
                        try {
                            open.add(Files.readSymbolicLink(descriptor));
                        }
                        catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                }
                catch (IOException e) {
                    // ended meanwhile, or not ours to look into
                }
            }
        }
        catch (IOException e) {
            // no /proc: nothing known to be open
        }
        return new OpenFiles(open);
    }

    boolean isOpen(Path file)
    {
        return open.contains(file.toAbsolutePath().normalize());
    }
}
