package io.hyperops.spi;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A job a task offers: the name used in the config file and on the command line, the class that runs
 * it, the record its {@code settings} section is read into, and its defaults.
 */
public record JobDefinition(
        String name,
        Class<? extends TaskJob> type,
        Class<? extends Record> settingsType,
        JobDefaults defaults,
        String description)
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public JobDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(settingsType, "settingsType is null");
        requireNonNull(defaults, "defaults is null");
        requireNonNull(description, "description is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job name '" + name + "' must be lower-case letters, digits and dashes");
        }
    }
}
