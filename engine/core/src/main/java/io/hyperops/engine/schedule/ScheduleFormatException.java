package io.hyperops.engine.schedule;

import static java.util.Objects.requireNonNull;

/**
 * A schedule the operator wrote cannot be used. The message is one line that names the problem and
 * shows a form that works; the config loader puts the file, line and column in front of it.
 */
public final class ScheduleFormatException
        extends IllegalArgumentException
{
    private final String expression;

    public ScheduleFormatException(String expression, String problem)
    {
        super("not a schedule: '" + OneLine.of(requireNonNull(expression, "expression is null")) + "'; "
                + requireNonNull(problem, "problem is null"));
        this.expression = expression;
    }

    /** The schedule as written. */
    public String expression()
    {
        return expression;
    }
}
