package io.hyperops.spi;

import com.google.inject.Module;

import java.util.List;

/**
 * One task module: its name, the Guice bindings of its services and the jobs it offers.
 *
 * <p>Listed in {@code META-INF/services/io.hyperops.spi.TaskPlugin}. The engine installs {@link #module()}
 * into a strict injector (explicit bindings only), so the module binds every class it asks for, jobs
 * included.
 */
public interface TaskPlugin
{
    /** Short lower-case name, e.g. {@code backup}; shown at start-up and in {@code hyperops jobs}. */
    String name();

    Module module();

    List<JobDefinition> jobs();

    /** Services this task keeps running in the daemon; none by default. */
    default List<Class<? extends TaskService>> services()
    {
        return List.of();
    }

    /** Commands this task adds to the {@code hyperops} command line; none by default. */
    default List<CommandDefinition> commands()
    {
        return List.of();
    }
}
