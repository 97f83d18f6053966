package io.hyperops.task.security;

import static java.util.Objects.requireNonNull;

/** One posture check by its id; {@link Body#run()} gives its finding. */
public record SecurityCheck(String id, Body body)
{
    public SecurityCheck
    {
        requireNonNull(id, "id is null");
        requireNonNull(body, "body is null");
    }

    @FunctionalInterface
    public interface Body
    {
        Finding run()
                throws Exception;
    }
}
