package io.hyperops.engine.cli;

/**
 * Exit codes of the {@code hyperops} command, documented in docs/cli.md. A run's outcome maps to 0-5
 * ({@link io.hyperops.spi.RunOutcome#exitCode()}); the rest follow sysexits.h.
 */
public final class ExitCodes
{
    public static final int SUCCESS = 0;
    /** The job is already running in another process (or in the daemon): this trigger was not run. */
    public static final int ALREADY_RUNNING = 3;
    public static final int USAGE = 64;
    /** A service the command needs cannot be used: no daemon answers, or it serves its most connections already. */
    public static final int UNAVAILABLE = 69;
    public static final int INTERNAL_ERROR = 70;
    /** The caller's role does not allow the request (control socket). */
    public static final int NO_PERMISSION = 77;
    /** The config file is invalid; nothing was started. */
    public static final int CONFIG = 78;

    private ExitCodes() {}
}
