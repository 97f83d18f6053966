package io.hyperops.task.backup.archive;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One run of a disk's guest-visible content, from {@code qemu-img map}: either data stored at
 * {@code offset} in {@code file}, or zeros (unallocated or known-zero), which are never read.
 */
public record DiskExtent(long start, long length, Optional<Path> file, long offset)
{
    public DiskExtent
    {
        requireNonNull(file, "file is null");
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("extent " + start + "+" + length + " is negative");
        }
    }

    public static DiskExtent zeros(long start, long length)
    {
        return new DiskExtent(start, length, Optional.empty(), 0);
    }

    public static DiskExtent data(long start, long length, Path file, long offset)
    {
        return new DiskExtent(start, length, Optional.of(file), offset);
    }

    public boolean isZero()
    {
        return file.isEmpty();
    }
}
