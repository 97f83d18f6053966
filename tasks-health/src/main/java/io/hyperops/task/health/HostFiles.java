package io.hyperops.task.health;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The host's own files ({@code /proc}, {@code /sys}, {@code /etc}, {@code /dev}, {@code /run}) under a
 * root folder: {@code /} on a host, a prepared tree in tests.
 */
public record HostFiles(Path root)
{
    public HostFiles
    {
        requireNonNull(root, "root is null");
    }

    public static HostFiles host()
    {
        return new HostFiles(Path.of("/"));
    }

    /** {@code path("/proc/meminfo")} is {@code <root>/proc/meminfo}. */
    public Path path(String absolute)
    {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("host path must be absolute: " + absolute);
        }
        return root.resolve(absolute.substring(1));
    }

    /** A configured host path, e.g. {@code /etc/hypervisor/hyperops.json}, under the root. */
    public Path path(Path absolute)
    {
        return path(absolute.toString());
    }
}
