package io.hyperops.task.backup;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * @param id a backup id or {@code latest}
 * @param newName restore as a new guest of this name (new UUID and MACs); empty restores the original guest
 * @param targetDir where the disks go; empty means beside the original disks
 */
public record RestoreRequest(String vmName, String id, Optional<String> newName, Optional<Path> targetDir)
{
    public RestoreRequest
    {
        requireNonNull(vmName, "vmName is null");
        requireNonNull(id, "id is null");
        requireNonNull(newName, "newName is null");
        requireNonNull(targetDir, "targetDir is null");
    }
}
