package io.hyperops.task.health;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One libvirt domain as the health checks and pre-flight see it. */
public record Guest(String name, String uuid, GuestState state, boolean autostart, int vcpus, long memoryKib, List<Disk> disks)
{
    public Guest
    {
        requireNonNull(name, "name is null");
        requireNonNull(uuid, "uuid is null");
        requireNonNull(state, "state is null");
        disks = List.copyOf(requireNonNull(disks, "disks is null"));
    }

    /**
     * @param file the image behind a file-backed disk
     * @param format the driver type, e.g. {@code qcow2}; empty when the XML names none
     * @param backed whether the live XML shows a backing chain under the image
     */
    public record Disk(String target, Optional<Path> file, String format, boolean encrypted, boolean backed)
    {
        public Disk
        {
            requireNonNull(target, "target is null");
            requireNonNull(file, "file is null");
            requireNonNull(format, "format is null");
        }
    }
}
