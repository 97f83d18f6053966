package io.hyperops.task.backup;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.testing.TestingGuests;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

/**
 * The real daemon at qemu:///system, no events: what the backup task asks of the engine's connection.
 * Like the engine's, it opens a new connection and retries once when libvirtd restarted under it
 * (other builds on the machine may restart it).
 */
final class SystemLibvirt
        implements LibvirtConnection, AutoCloseable
{
    private Connect connect;

    SystemLibvirt()
            throws LibvirtException
    {
        this.connect = new Connect(TestingGuests.URI);
    }

    @Override
    public String uri()
    {
        return TestingGuests.URI;
    }

    @Override
    public synchronized <T> T call(LibvirtCall<T> call)
            throws LibvirtException
    {
        try {
            return call.apply(connect);
        }
        catch (LibvirtException e) {
            if (alive()) {
                throw e;
            }
            connect = new Connect(TestingGuests.URI);
            return call.apply(connect);
        }
    }

    private boolean alive()
    {
        try {
            return connect.isAlive();
        }
        catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        throw new UnsupportedOperationException("the backup task listens for no events");
    }

    @Override
    public synchronized void close()
            throws LibvirtException
    {
        connect.close();
    }
}
