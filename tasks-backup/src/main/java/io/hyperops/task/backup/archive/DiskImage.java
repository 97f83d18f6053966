package io.hyperops.task.backup.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A disk image as {@code qemu-img} sees it: format, virtual size, allocated bytes and where each run of
 * guest-visible content lives in the backing chain. Reading the host offsets straight from the files
 * streams a qcow2 without a raw copy first ({@code qemu-img convert} cannot write to a pipe) and skips
 * holes without reading them.
 */
public record DiskImage(Path file, String format, long virtualSize, long allocatedBytes, List<DiskExtent> extents)
{
    private static final ObjectMapper JSON = new ObjectMapper();

    public DiskImage
    {
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
        extents = List.copyOf(requireNonNull(extents, "extents is null"));
    }

    /**
     * Inspects the image. qemu-img takes its usual shared lock, so this fails rather than read an image
     * a running QEMU writes to: callers read only stopped guests' disks or the frozen base under a snapshot.
     */
    public static DiskImage inspect(Path file)
            throws IOException, InterruptedException
    {
        JsonNode chain = JSON.readTree(QemuImg.checked(List.of("info", "--backing-chain", "--output=json", file.toString())));
        List<Path> files = new ArrayList<>();
        for (JsonNode image : chain) {
            files.add(Path.of(image.path("filename").asText()));
        }
        JsonNode top = chain.get(0);
        JsonNode map = JSON.readTree(QemuImg.checked(List.of("map", "--output=json", file.toString())));
        List<DiskExtent> extents = new ArrayList<>();
        long allocated = 0;
        for (JsonNode entry : map) {
            long start = entry.path("start").asLong();
            long length = entry.path("length").asLong();
            if (!entry.path("data").asBoolean()) {
                extents.add(DiskExtent.zeros(start, length));
                continue;
            }
            if (!entry.has("offset")) {
                throw new IOException(file + " has data at " + start + " that qemu-img cannot place in a file (compressed or encrypted clusters); "
                        + "convert it first with 'qemu-img convert -O qcow2' while the guest is stopped");
            }
            int depth = entry.path("depth").asInt();
            extents.add(DiskExtent.data(start, length, files.get(depth), entry.path("offset").asLong()));
            allocated += length;
        }
        return new DiskImage(file, top.path("format").asText(), top.path("virtual-size").asLong(), allocated, extents);
    }

}
