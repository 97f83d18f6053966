package io.hyperops.task.backup.archive;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How the tar stream inside an archive is compressed; the file name's extension says which. */
public enum Compression
{
    ZSTD(".tar.zst", 3, 1, 19),
    GZIP(".tar.gz", 6, 1, 9),
    NONE(".tar", 0, 0, 0);

    private static final int BUFFER = 1 << 17;

    private final String extension;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String extension, int defaultLevel, int minLevel, int maxLevel)
    {
        this.extension = extension;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    public static Compression parse(String name)
    {
        for (Compression compression : values()) {
            if (compression.configName().equals(name)) {
                return compression;
            }
        }
        throw new IllegalArgumentException("compression must be zstd, gzip or none, was '" + name + "'");
    }

    /** The compression of an archive, from its file name (an optional {@code .gpg} after the tar extension). */
    public static Compression ofFileName(String fileName)
    {
        String name = fileName.endsWith(".gpg") ? fileName.substring(0, fileName.length() - 4) : fileName;
        for (Compression compression : values()) {
            if (name.endsWith(compression.extension)) {
                return compression;
            }
        }
        throw new IllegalArgumentException(fileName + " is not a backup archive (.tar, .tar.zst or .tar.gz, optionally .gpg)");
    }

    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public String extension()
    {
        return extension;
    }

    public int defaultLevel()
    {
        return defaultLevel;
    }

    public void checkLevel(int level)
    {
        if (this != NONE && (level < minLevel || level > maxLevel)) {
            throw new IllegalArgumentException("compression_level for " + configName() + " must be " + minLevel + " to " + maxLevel + ", was " + level);
        }
    }

    /**
     * @param workers zstd worker threads; 0 means {@link #automaticWorkers(int)}, 1 means compressing on
     * the calling thread
     */
    public OutputStream compress(OutputStream out, int level, int workers)
            throws IOException
    {
        return switch (this) {
            case ZSTD -> {
                ZstdOutputStream zstd = new ZstdOutputStream(out);
                zstd.setLevel(level);
                int threads = workers == 0 ? automaticWorkers(Runtime.getRuntime().availableProcessors()) : workers;
                // zstd's multi-threaded mode compresses in jobs that re-read an overlap of the one before: more
                // CPU in all for less wall time; 1 keeps it single-threaded
                zstd.setWorkers(threads <= 1 ? 0 : threads);
                // -Dhyperops.backup.compress-noise=true feeds zstd everything, for comparison (scripts/bench-backup.sh)
                yield Boolean.getBoolean("hyperops.backup.compress-noise") ? zstd : new ZstdStoringNoise(out, zstd);
            }
            case GZIP -> new LeveledGzip(out, level);
            case NONE -> out;
        };
    }

    /**
     * zstd threads for a machine of {@code cpus}: all of them. The stages do not load the CPUs evenly but
     * in turns: data that compresses keeps zstd busy while the cipher waits for its small output, noise
     * is stored raw and keeps the cipher busy instead. zstd's workers are what fills the other CPUs in
     * the first case (measured: docs/benchmarks.md), the MDC's own thread in the second.
     */
    static int automaticWorkers(int cpus)
    {
        return Math.max(1, cpus);
    }

    public InputStream decompress(InputStream in)
            throws IOException
    {
        return switch (this) {
            case ZSTD -> new ZstdInputStream(in);
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case NONE -> in;
        };
    }

    private static final class LeveledGzip
            extends GZIPOutputStream
    {
        LeveledGzip(OutputStream out, int level)
                throws IOException
        {
            super(out, BUFFER);
            def.setLevel(level);
        }
    }
}
