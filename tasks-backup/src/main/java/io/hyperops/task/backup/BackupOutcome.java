package io.hyperops.task.backup;

import io.hyperops.task.backup.archive.BackupManifest;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** One finished backup: where it is, its manifest, and what was cleaned up before it. */
public record BackupOutcome(String id, Path folder, BackupManifest manifest, List<Path> removedLeftovers, List<Path> committedOverlays)
{
    public BackupOutcome
    {
        requireNonNull(id, "id is null");
        requireNonNull(folder, "folder is null");
        requireNonNull(manifest, "manifest is null");
        removedLeftovers = List.copyOf(requireNonNull(removedLeftovers, "removedLeftovers is null"));
        committedOverlays = List.copyOf(requireNonNull(committedOverlays, "committedOverlays is null"));
    }
}
