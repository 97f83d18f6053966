package io.hyperops.engine.control;

/** The control server's limits, for tests in other packages. */
public final class ControlServerAccess
{
    private ControlServerAccess() {}

    public static int maxConnections()
    {
        return ControlServer.MAX_CONNECTIONS;
    }

    public static int maxPerUser()
    {
        return ControlServer.MAX_PER_USER;
    }
}
