package io.hyperops.engine.control;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/** One request: a command and its arguments, as the CLI sent them. */
record ControlRequest(int v, String command, JsonNode args)
{
    ControlRequest
    {
        requireNonNull(command, "command is null");
        requireNonNull(args, "args is null");
    }

    String text(String name)
    {
        JsonNode value = args.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    boolean flag(String name)
    {
        return args.path(name).asBoolean(false);
    }

    int number(String name, int otherwise)
    {
        return args.path(name).asInt(otherwise);
    }
}
