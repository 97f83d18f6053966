package io.hyperops.engine.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Gathers every problem of one file, each placed at its key or value, so one report lists them all. */
final class ProblemCollector
{
    private final Path file;
    private final SourceLocations locations;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ProblemCollector(Path file, SourceLocations locations)
    {
        this.file = file;
        this.locations = locations;
    }

    /** A problem with a key itself (unknown, misspelled). */
    void atKey(String pointer, String message)
    {
        add(pointer, locations.key(pointer), message);
    }

    /** A problem with what a key holds (wrong type, invalid value). */
    void atValue(String pointer, String message)
    {
        add(pointer, locations.value(pointer), message);
    }

    boolean isEmpty()
    {
        return problems.isEmpty();
    }

    int size()
    {
        return problems.size();
    }

    List<ConfigProblem> sorted()
    {
        List<ConfigProblem> result = new ArrayList<>(problems);
        result.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return result;
    }

    private void add(String pointer, JsonLocation location, String message)
    {
        int line = location == JsonLocation.NA ? 0 : location.getLineNr();
        int column = location == JsonLocation.NA ? 0 : location.getColumnNr();
        problems.add(new ConfigProblem(file, line, column, dotted(pointer), message));
    }

    // "/jobs/metrics/shedule" reads better as "jobs.metrics.shedule" in a message to a person.
    private static String dotted(String pointer)
    {
        StringBuilder result = new StringBuilder();
        JsonPointer current = JsonPointer.compile(pointer);
        while (current != null && !current.matches()) {
            if (result.length() > 0) {
                result.append('.');
            }
            result.append(current.getMatchingProperty());
            current = current.tail();
        }
        return result.toString();
    }
}
