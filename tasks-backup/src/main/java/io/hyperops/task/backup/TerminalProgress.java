package io.hyperops.task.backup;

import java.io.PrintWriter;
import java.util.Locale;

/** Bytes, rate and ETA on one terminal line, redrawn at most a few times a second. */
final class TerminalProgress
        implements Progress
{
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final long started = System.nanoTime();
    private long lastDraw;

    TerminalProgress(PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void report(String message, long done, long total)
    {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        String eta = total > 0 && rate > 0 ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "?";
        out.printf(Locale.ROOT, "\r%s: %s of %s, %s/s, ETA %s   ", message, mib(done), mib(total), mib((long) rate), eta);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    private static String mib(long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
