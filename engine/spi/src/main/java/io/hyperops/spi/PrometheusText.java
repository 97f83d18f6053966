package io.hyperops.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The content of a file for node_exporter's textfile collector, in Prometheus' text format. Write it
 * with {@link TextFiles}, which replaces the file atomically: the collector reads every {@code *.prom}
 * file at each scrape and must see the old metrics or the new, never half.
 */
public final class PrometheusText
{
    private final List<String> lines = new ArrayList<>();

    /** Starts a metric family: its help line and type. */
    public PrometheusText family(String name, String type, String help)
    {
        lines.add("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
        lines.add("# TYPE " + name + " " + type);
        return this;
    }

    public PrometheusText sample(String name, Map<String, String> labels, double value)
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

    public PrometheusText sample(String name, double value)
    {
        return sample(name, Map.of(), value);
    }

    public String text()
    {
        return String.join("\n", lines) + "\n";
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
