package io.hyperops.task.backup.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the tar stream our archives hold (POSIX ustar with PAX headers, GNU base-256 sizes, GNU sparse
 * PAX 1.0 entries), entry by entry. Commons-compress cannot read them back: it parses
 * {@code GNU.sparse.realsize} as an int, so any disk of 2 GiB or more fails, and it misreads sparse
 * maps of several regions. A sparse entry reads as its full size, holes as zeros.
 */
final class TarReader
{
    private static final int BLOCK = 512;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private EntryStream current;

    TarReader(InputStream in)
    {
        this.in = in;
    }

    record Entry(String name, long size, InputStream content) {}

    /** @return the next file entry, or null at the end of the archive */
    Entry next()
            throws IOException
    {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        Map<String, String> pax = new HashMap<>();
        while (true) {
            if (!readBlock(header)) {
                return null;
            }
            if (isZero(header)) {
                return null;
            }
            checkChecksum();
            char type = (char) header[156];
            String name = string(345, 155).isEmpty() ? string(0, 100) : string(345, 155) + "/" + string(0, 100);
            long size = number(124, 12);
            if (pax.containsKey("size")) {
                size = Long.parseLong(pax.get("size"));
            }
            if (type == 'x' || type == 'g') {
                byte[] records = readData(size);
                if (type == 'x') {
                    pax.putAll(parsePax(records));
                }
                pax.remove("size");
                continue;
            }
            if (pax.containsKey("path")) {
                name = pax.get("path");
            }
            if (type != '0' && type != '\0') {
                skipData(size);
                pax.clear();
                continue; // folders, links: our archives hold none, other tars' are not ours to restore
            }
            if ("1".equals(pax.get("GNU.sparse.major")) && "0".equals(pax.get("GNU.sparse.minor"))) {
                current = new EntryStream(size);
                long realSize = Long.parseLong(pax.get("GNU.sparse.realsize"));
                List<long[]> map = readSparseMap(current);
                return new Entry(pax.getOrDefault("GNU.sparse.name", name), realSize, new SparseStream(current, map, realSize));
            }
            current = new EntryStream(size);
            return new Entry(name, size, current);
        }
    }

    private List<long[]> readSparseMap(EntryStream data)
            throws IOException
    {
        long[] consumed = {0};
        long count = Long.parseLong(line(data, consumed));
        List<long[]> map = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            map.add(new long[] {Long.parseLong(line(data, consumed)), Long.parseLong(line(data, consumed))});
        }
        long padding = (BLOCK - consumed[0] % BLOCK) % BLOCK;
        data.skipNBytes(padding);
        return map;
    }

    private static String line(InputStream data, long[] consumed)
            throws IOException
    {
        StringBuilder text = new StringBuilder();
        while (true) {
            int value = data.read();
            if (value < 0) {
                throw new EOFException("sparse map ends early");
            }
            consumed[0]++;
            if (value == '\n') {
                return text.toString();
            }
            if (value < '0' || value > '9' || text.length() > 20) {
                throw new IOException("sparse map holds a non-number");
            }
            text.append((char) value);
        }
    }

    private static Map<String, String> parsePax(byte[] records)
            throws IOException
    {
        Map<String, String> values = new HashMap<>();
        int at = 0;
        while (at < records.length) {
            int space = indexOf(records, (byte) ' ', at);
            if (space < 0) {
                break;
            }
            int length = Integer.parseInt(new String(records, at, space - at, StandardCharsets.US_ASCII).trim());
            if (length <= 0 || at + length > records.length) {
                throw new IOException("PAX header record of length " + length + " does not fit");
            }
            String record = new String(records, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            values.put(record.substring(0, equals), record.substring(equals + 1));
            at += length;
        }
        return values;
    }

    private static int indexOf(byte[] bytes, byte value, int from)
    {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private byte[] readData(long size)
            throws IOException
    {
        if (size > (1 << 20)) {
            throw new IOException("PAX header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar stream ends inside a header");
        }
        in.skipNBytes(padding(size));
        return data;
    }

    private void skipData(long size)
            throws IOException
    {
        in.skipNBytes(size + padding(size));
    }

    private static long padding(long size)
    {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private boolean readBlock(byte[] block)
            throws IOException
    {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("tar stream ends inside a header");
        }
        return true;
    }

    private void checkChecksum()
            throws IOException
    {
        long expected = number(148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("tar header checksum mismatch: the archive is damaged");
        }
    }

    private String string(int offset, int length)
    {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    // octal, or GNU base-256 when the first byte has its high bit set
    private long number(int offset, int length)
            throws IOException
    {
        if ((header[offset] & 0x80) != 0) {
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        }
        catch (NumberFormatException e) {
            throw new IOException("tar header holds a bad number '" + text + "'", e);
        }
    }

    private static boolean isZero(byte[] block)
    {
        for (byte value : block) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    /** An entry's stored bytes; skipping the rest also skips the padding to the next header. */
    private final class EntryStream
            extends InputStream
    {
        private long remaining;
        private final long padding;

        EntryStream(long size)
        {
            this.remaining = size;
            this.padding = padding(size);
        }

        @Override
        public int read()
                throws IOException
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length)
                throws IOException
        {
            if (remaining == 0) {
                return -1;
            }
            int read = in.read(bytes, offset, (int) Math.min(length, remaining));
            if (read < 0) {
                throw new EOFException("tar stream ends inside an entry");
            }
            remaining -= read;
            return read;
        }

        void skipRest()
                throws IOException
        {
            in.skipNBytes(remaining + padding);
            remaining = 0;
        }
    }

    /** The full-size content of a sparse entry: zeros in the holes, stored bytes in the regions. */
    private static final class SparseStream
            extends InputStream
    {
        private final InputStream stored;
        private final List<long[]> map;
        private final long realSize;
        private long position;
        private int region;

        SparseStream(InputStream stored, List<long[]> map, long realSize)
        {
            this.stored = stored;
            this.map = map;
            this.realSize = realSize;
        }

        @Override
        public int read()
                throws IOException
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length)
                throws IOException
        {
            if (position >= realSize) {
                return -1;
            }
            while (region < map.size() && position >= map.get(region)[0] + map.get(region)[1]) {
                region++;
            }
            long regionStart = region < map.size() ? map.get(region)[0] : realSize;
            int count;
            if (position < regionStart) {
                count = (int) Math.min(length, regionStart - position);
                Arrays.fill(bytes, offset, offset + count, (byte) 0);
            }
            else {
                long regionEnd = regionStart + map.get(region)[1];
                count = stored.read(bytes, offset, (int) Math.min(length, regionEnd - position));
                if (count < 0) {
                    throw new EOFException("sparse entry ends before its map says");
                }
            }
            position += count;
            return count;
        }
    }
}
