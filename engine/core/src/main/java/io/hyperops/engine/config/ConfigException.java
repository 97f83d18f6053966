package io.hyperops.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used, with every problem found in it, not just the first. */
public final class ConfigException
        extends Exception
{
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems)
    {
        super(report(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems()
    {
        return problems;
    }

    private static String report(List<ConfigProblem> problems)
    {
        String heading = problems.size() == 1 ? "1 problem in the config file:" : problems.size() + " problems in the config file:";
        return problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n", heading + "\n", ""));
    }
}
