package io.hyperops.engine.schedule;

import static java.util.Objects.requireNonNull;

/**
 * A time span the operator wrote cannot be used. The message is one line that names the problem and
 * shows forms that work; the config loader puts the file, line and column in front of it.
 */
public final class TimeSpanFormatException
        extends IllegalArgumentException
{
    private final String text;

    public TimeSpanFormatException(String text, String problem)
    {
        super("not a time span: '" + OneLine.of(requireNonNull(text, "text is null")) + "'; "
                + requireNonNull(problem, "problem is null"));
        this.text = text;
    }

    /** The time span as written. */
    public String text()
    {
        return text;
    }
}
