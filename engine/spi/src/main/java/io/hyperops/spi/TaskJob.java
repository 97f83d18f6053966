package io.hyperops.spi;

/**
 * One job of a task. Quartz makes a new instance per run, so an implementation keeps nothing in fields
 * between runs: what must survive goes into {@link RunContext#state()}.
 *
 * <p>A run should watch {@link RunContext#checkCancelled()} (or thread interruption) at safe points:
 * the engine asks a run to stop when it times out and when the daemon shuts down.
 */
public interface TaskJob
{
    JobResult run(RunContext context)
            throws Exception;
}
