package io.hyperops.spi;

import static java.util.Objects.requireNonNull;

/** Each thing a person can ask of hyperops or of libvirt, with the least role that may do it. */
public enum Permission
{
    /** Jobs, status, history, logs, forecast, config check. */
    READ(Role.OPERATOR, "read status, jobs, history and logs"),
    /** Run a job the config marks operator-allowed (default: health, metrics, backup). */
    RUN_OPERATOR_JOB(Role.OPERATOR, "run an operator-allowed job"),
    RUN_ANY_JOB(Role.ADMIN, "run a job that is not operator-allowed"),
    CONFIG_RELOAD(Role.ADMIN, "reload the config"),
    PAUSE_RESUME(Role.ADMIN, "pause or resume a job"),
    RESTORE(Role.ADMIN, "restore a backup"),
    /** A task's command run by the daemon for its caller (e.g. {@code hyperops backup run}); anyone else runs it in-process. */
    TASK_COMMAND(Role.ADMIN, "have the daemon run a task's command"),
    ROLLBACK(Role.ADMIN, "roll back an update"),

    VM_START(Role.OPERATOR, "start a guest"),
    VM_STOP(Role.OPERATOR, "stop a guest"),
    VM_CONSOLE(Role.OPERATOR, "open a guest's console"),
    // Admin, although the seed let operators create guests: libvirt's define permission (domain write) covers
    // any guest's XML (the host's disks as devices) and the QEMU monitor and agent commands, which reach the host.
    VM_CREATE(Role.ADMIN, "create or redefine a guest"),
    VM_DELETE(Role.ADMIN, "delete (undefine) a guest"),
    STORAGE_DELETE(Role.ADMIN, "delete storage"),
    HOST_CHANGE(Role.ADMIN, "change the host (networks, interfaces, libvirt itself)");

    private final Role least;
    private final String description;

    Permission(Role least, String description)
    {
        this.least = requireNonNull(least, "least is null");
        this.description = requireNonNull(description, "description is null");
    }

    public Role least()
    {
        return least;
    }

    public String description()
    {
        return description;
    }
}
