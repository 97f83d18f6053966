package io.hyperops.task.health;

/**
 * libvirt's {@code virDomainState} with its reason ({@code virDomainShutoffReason} and friends).
 *
 * @param reason {@link #UNKNOWN_REASON} where it could not be read
 */
public record GuestState(int state, int reason)
{
    public static final int UNKNOWN_REASON = -1;

    // virDomainState
    public static final int RUNNING = 1;
    public static final int PAUSED = 3;
    public static final int SHUTOFF = 5;
    public static final int CRASHED = 6;
    // virDomainShutoffReason
    public static final int SHUTOFF_SHUTDOWN = 1;
    public static final int SHUTOFF_DESTROYED = 2;
    public static final int SHUTOFF_CRASHED = 3;
    /** libvirt's VIR_DOMAIN_SHUTOFF_FAILED: a start that did not come up. */
    public static final int SHUTOFF_FAILED = 6;

    private static final String[] STATE_NAMES = {"no state", "running", "blocked", "paused", "being shut down", "shut off", "crashed", "suspended"};
    private static final String[] SHUTOFF_REASONS = {"unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"};

    /**
     * A guest that crashed and that an operator did not stop: {@code shut off (crashed)} after its QEMU
     * process died, or {@code crashed} after a guest panic with {@code on_crash=preserve}.
     */
    /** Shut off because a start failed (a recovery restart that did not come up, say). */
    public boolean failedToStart()
    {
        return state == SHUTOFF && reason == SHUTOFF_FAILED;
    }

    public boolean crashed()
    {
        return state == CRASHED || (state == SHUTOFF && reason == SHUTOFF_CRASHED);
    }

    public boolean running()
    {
        return state == RUNNING || state == 2 || state == PAUSED;
    }

    /** As {@code virsh domstate --reason} says it: {@code shut off (crashed)}. */
    public String describe()
    {
        String name = state >= 0 && state < STATE_NAMES.length ? STATE_NAMES[state] : "state " + state;
        if (state == SHUTOFF && reason >= 0 && reason < SHUTOFF_REASONS.length) {
            return name + " (" + SHUTOFF_REASONS[reason] + ")";
        }
        return name;
    }
}
