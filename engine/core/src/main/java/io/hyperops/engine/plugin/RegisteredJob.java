package io.hyperops.engine.plugin;

import io.hyperops.spi.JobDefinition;

import static java.util.Objects.requireNonNull;

/** A job together with the task that offers it. */
public record RegisteredJob(String task, JobDefinition definition)
{
    public RegisteredJob
    {
        requireNonNull(task, "task is null");
        requireNonNull(definition, "definition is null");
    }

    public String name()
    {
        return definition.name();
    }
}
