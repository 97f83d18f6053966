package io.hyperops.task.backup.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk as a GNU tar sparse file, format PAX 1.0: a PAX header with {@code GNU.sparse.major=1},
 * {@code minor=0}, {@code name} and {@code realsize}, then an entry whose content is the map (the number
 * of data regions, then each region's offset and length, one decimal per line, padded to 512 bytes)
 * followed by the data regions only. GNU tar extracts it as a sparse file of the full size, and
 * commons-compress reads it back with the holes as zeros. Commons-compress cannot write it (its PAX
 * header API takes {@code GNU.sparse.name} as the entry's own name), so the header is written here.
 */
final class SparseEntry
{
    private static final int BLOCK = 512;

    private final String name;
    private final long realSize;
    private final List<long[]> regions;

    private SparseEntry(String name, long realSize, List<long[]> regions)
    {
        this.name = name;
        this.realSize = realSize;
        this.regions = regions;
    }

    /** Adjacent data extents become one region; a trailing hole ends the map with a region of length 0 at the end, which GNU tar needs to give the file its full size. */
    static SparseEntry of(String name, long realSize, List<DiskExtent> extents)
    {
        List<long[]> regions = new ArrayList<>();
        for (DiskExtent extent : extents) {
            if (extent.isZero() || extent.length() == 0) {
                continue;
            }
            long[] last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
            if (last != null && last[0] + last[1] == extent.start()) {
                last[1] += extent.length();
            }
            else {
                regions.add(new long[] {extent.start(), extent.length()});
            }
        }
        long[] last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
        if (last == null || last[0] + last[1] < realSize) {
            regions.add(new long[] {realSize, 0});
        }
        return new SparseEntry(name, realSize, regions);
    }

    /** The name GNU tar gives the entry itself; readers that know no sparse files extract it there. */
    String headerName()
    {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + "GNUSparseFile.0/" + name.substring(slash + 1);
    }

    String paxHeaderName()
    {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + "PaxHeaders.0/" + name.substring(slash + 1);
    }

    byte[] paxRecords()
    {
        String records = record("GNU.sparse.major", "1") + record("GNU.sparse.minor", "0") + record("GNU.sparse.name", name)
                + record("GNU.sparse.realsize", Long.toString(realSize));
        return records.getBytes(StandardCharsets.UTF_8);
    }

    /** The map, padded with NULs to a whole number of 512-byte blocks. */
    byte[] map()
    {
        StringBuilder text = new StringBuilder().append(regions.size()).append('\n');
        for (long[] region : regions) {
            text.append(region[0]).append('\n').append(region[1]).append('\n');
        }
        byte[] content = text.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[(content.length + BLOCK - 1) / BLOCK * BLOCK];
        System.arraycopy(content, 0, padded, 0, content.length);
        return padded;
    }

    long dataSize()
    {
        return regions.stream().mapToLong(region -> region[1]).sum();
    }

    // "<length> <key>=<value>\n", where the length counts its own digits
    private static String record(String key, String value)
    {
        String body = " " + key + "=" + value + "\n";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        while (true) {
            String candidate = length + body;
            int candidateLength = candidate.getBytes(StandardCharsets.UTF_8).length;
            if (candidateLength == length) {
                return candidate;
            }
            length = candidateLength;
        }
    }
}
