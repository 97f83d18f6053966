package io.hyperops.engine.run;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** A run going on now: what status shows, and the handle shutdown and time-outs use to stop it. */
public record ActiveRun(String runId, String job, Instant start, EngineRunContext context, Thread thread)
{
    public ActiveRun
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(job, "job is null");
        requireNonNull(start, "start is null");
        requireNonNull(context, "context is null");
        requireNonNull(thread, "thread is null");
    }

    /** Asks the run to stop: sets its cancel flag, then interrupts its thread for blocking calls. */
    public void cancel(EngineRunContext.StopReason reason)
    {
        context.stop(reason, thread);
    }
}
