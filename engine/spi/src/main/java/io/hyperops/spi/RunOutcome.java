package io.hyperops.spi;

import java.util.Locale;

/** How a run ended. The exit code is what {@code hyperops run-job} returns for it. */
public enum RunOutcome
{
    SUCCESS(0),
    WARNING(1),
    FAILED(2),
    SKIPPED(3),
    TIMED_OUT(4),
    INTERRUPTED(5);

    private final int exitCode;

    RunOutcome(int exitCode)
    {
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }

    /** The name in history and state files: {@code timed-out}, not {@code TIMED_OUT}. */
    public String jsonName()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RunOutcome fromJsonName(String name)
    {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    boolean isJobOutcome()
    {
        return this == SUCCESS || this == WARNING || this == FAILED;
    }

    /** The worse of two outcomes, for jobs made of several steps. */
    public RunOutcome worst(RunOutcome other)
    {
        return other.ordinal() > ordinal() ? other : this;
    }
}
