package io.hyperops.task.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * A file for node_exporter's textfile collector. The collector reads every {@code *.prom} file of its
 * folder at each scrape, so the file is written under a name it ignores (a leading dot and no
 * {@code .prom} ending) and renamed into place: a scrape sees the old or the new metrics, never half.
 */
public final class PrometheusTextFile
{
    private final List<String> lines = new ArrayList<>();

    /** Starts a metric family: its help line and type. */
    public PrometheusTextFile family(String name, String type, String help)
    {
        lines.add("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
        lines.add("# TYPE " + name + " " + type);
        return this;
    }

    public PrometheusTextFile sample(String name, Map<String, String> labels, double value)
    {
        StringBuilder line = new StringBuilder(name);
        if (!labels.isEmpty()) {
            line.append('{');
            String separator = "";
            for (Map.Entry<String, String> label : labels.entrySet()) {
                line.append(separator).append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
                separator = ",";
            }
            line.append('}');
        }
        line.append(' ').append(format(value));
        lines.add(line.toString());
        return this;
    }

    public PrometheusTextFile sample(String name, double value)
    {
        return sample(name, Map.of(), value);
    }

    public String text()
    {
        return String.join("\n", lines) + "\n";
    }

    /** Writes atomically into {@code file}, creating its folder. */
    public void write(Path file)
            throws IOException
    {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve("." + file.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temporary, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    static String escape(String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
