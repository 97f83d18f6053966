package io.hyperops.engine.config;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** One thing wrong in a config file, where it is, and what to do. */
public record ConfigProblem(Path file, int line, int column, String path, String message)
{
    public ConfigProblem
    {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    /** {@code /etc/hypervisor/hyperops.json:12:7: jobs.metrics.shedule: unknown key; did you mean 'schedule'?} */
    @Override
    public String toString()
    {
        String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
        return path.isEmpty() ? where + ": " + message : where + ": " + path + ": " + message;
    }
}
