package io.hyperops.spi;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** A top-level command a task offers: its name on the command line, the class that runs it, one line of help. */
public record CommandDefinition(String name, Class<? extends TaskCommand> type, String description)
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public CommandDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("command name '" + name + "' must be lower-case letters, digits and dashes");
        }
    }
}
