package io.hyperops.task.network;

import static java.util.Objects.requireNonNull;

/** Why a change is refused, and what to do instead. */
public record Refusal(String reason, String fix)
{
    public Refusal
    {
        requireNonNull(reason, "reason is null");
        requireNonNull(fix, "fix is null");
    }
}
