package io.hyperops.spi;

/**
 * Something a task keeps running while the daemon runs, such as a listener for libvirt domain events.
 * Started after the scheduler, in the order tasks and their lists give, and stopped in reverse at
 * shutdown. Commands and {@code run-job} in their own process do not start services. Bind the class in
 * the task's module (as a singleton, when jobs share its state) and list it in
 * {@link TaskPlugin#services()}.
 */
public interface TaskService
{
    void start()
            throws Exception;

    void stop();
}
