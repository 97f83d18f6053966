package io.hyperops.task.security;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The host's files under a root folder: {@code /} on a host, a prepared tree in tests. Every host path
 * a check reads ({@code /etc/ssh/sshd_config}, {@code /proc}, a guest's disk) goes through here.
 */
public record HostRoot(Path root)
{
    public HostRoot
    {
        requireNonNull(root, "root is null");
    }

    /** {@code resolve(Path.of("/etc/ssh/sshd_config"))} is {@code <root>/etc/ssh/sshd_config}. */
    public Path resolve(Path absolute)
    {
        if (!absolute.isAbsolute()) {
            throw new IllegalArgumentException("host path must be absolute: " + absolute);
        }
        Path relative = absolute.getRoot().relativize(absolute);
        return relative.toString().isEmpty() ? root : root.resolve(relative);
    }

    public Path resolve(String absolute)
    {
        return resolve(Path.of(absolute));
    }

    /** The host path a file under the root stands for, for messages: {@code <root>/etc/x} is {@code /etc/x}. */
    public String hostPath(Path file)
    {
        if (!file.startsWith(root)) {
            return file.toString();
        }
        return "/" + root.relativize(file);
    }
}
