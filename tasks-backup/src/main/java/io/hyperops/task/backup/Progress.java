package io.hyperops.task.backup;

/** Where a long operation reports how far it is: the run's progress, or a terminal line. */
@FunctionalInterface
public interface Progress
{
    Progress NONE = (message, done, total) -> { };

    void report(String message, long done, long total);
}
