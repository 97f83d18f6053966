package io.hyperops.task.backup.archive;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux I/O scheduling class and level ({@code ioprio_set(2)}), set on the threads that read disks and
 * write the archive. The kernel keeps it per thread, not per process, and the engine's other threads
 * (health checks, the API) must keep theirs, so it is set on the backup's own threads only and taken
 * back when a disk is done. Java has no call for it, hence JNA; {@code ionice} would need the reading to
 * run in a process of its own. BFQ honours class and level, mq-deadline (Linux 5.14 and later) the class
 * only; with {@code none} or kyber it is accepted and has no effect.
 *
 * @param ioClass {@link #INHERIT}, {@link #BEST_EFFORT} or {@link #IDLE}
 * @param level 0 (most) to 7 (least) within best-effort, 0 otherwise
 */
public record IoPriority(int ioClass, int level)
{
    public static final int INHERIT = 0;
    public static final int BEST_EFFORT = 2;
    public static final int IDLE = 3;
    public static final IoPriority LOWEST_BEST_EFFORT = new IoPriority(BEST_EFFORT, 7);
    public static final IoPriority UNCHANGED = new IoPriority(INHERIT, 0);

    private static final Pattern BEST_EFFORT_SYNTAX = Pattern.compile("best-effort:([0-7])");
    private static final int WHO_PROCESS = 1;
    private static final int CLASS_SHIFT = 13;

    public IoPriority
    {
        if (ioClass != INHERIT && ioClass != BEST_EFFORT && ioClass != IDLE) {
            throw new IllegalArgumentException("I/O class must be 0 (inherit), 2 (best-effort) or 3 (idle), was " + ioClass);
        }
        if (level < 0 || level > 7 || (ioClass != BEST_EFFORT && level != 0)) {
            throw new IllegalArgumentException("I/O level must be 0 to 7 within best-effort and 0 otherwise, was " + level);
        }
    }

    /** {@code idle}, {@code best-effort:0} to {@code best-effort:7}, or {@code none} (the process's own). */
    public static IoPriority parse(String text)
    {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return UNCHANGED;
        }
        if (value.equals("idle")) {
            return new IoPriority(IDLE, 0);
        }
        Matcher matcher = BEST_EFFORT_SYNTAX.matcher(value);
        if (matcher.matches()) {
            return new IoPriority(BEST_EFFORT, Integer.parseInt(matcher.group(1)));
        }
        throw new IllegalArgumentException("io_priority must be idle, best-effort:0 to best-effort:7 (7 is the lowest) or none, was '" + text + "'");
    }

    public String configName()
    {
        return switch (ioClass) {
            case IDLE -> "idle";
            case BEST_EFFORT -> "best-effort:" + level;
            default -> "none";
        };
    }

    /**
     * Sets this priority on the calling thread.
     *
     * @return what to call to give the thread its earlier priority back; nothing to do for {@link #UNCHANGED}
     */
    public Restore applyToCurrentThread()
            throws IOException
    {
        if (ioClass == INHERIT) {
            return () -> { };
        }
        SystemCalls calls = SystemCalls.forThisMachine()
                .orElseThrow(() -> new IOException("io_priority " + configName() + " cannot be set on " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + " (Linux on x86_64 and aarch64 only); set io_priority to none"));
        try {
            int previous = calls.library().syscall(calls.get(), WHO_PROCESS, 0);
            calls.library().syscall(calls.set(), WHO_PROCESS, 0, (ioClass << CLASS_SHIFT) | level);
            return () -> {
                try {
                    calls.library().syscall(calls.set(), WHO_PROCESS, 0, previous);
                }
                catch (LastErrorException e) {
                    // the thread keeps the lower priority, which is harmless; nothing to report to an operator
                }
            };
        }
        catch (LastErrorException e) {
            throw new IOException("cannot set io_priority " + configName() + " (ioprio_set: errno " + e.getErrorCode() + "); set io_priority to none", e);
        }
    }

    /** Gives a thread back the I/O priority it had. */
    @FunctionalInterface
    public interface Restore
            extends AutoCloseable
    {
        @Override
        void close();
    }

    private record SystemCalls(LinuxLibc.Calls library, long set, long get)
    {
        static Optional<SystemCalls> forThisMachine()
        {
            return LinuxLibc.calls().flatMap(library -> switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> Optional.of(new SystemCalls(library, 251, 252));
                case "aarch64" -> Optional.of(new SystemCalls(library, 30, 31));
                default -> Optional.empty();
            });
        }
    }
}
