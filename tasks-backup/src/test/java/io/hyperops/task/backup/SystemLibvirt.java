package io.hyperops.task.backup;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.testing.TestingGuests;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;

/** The real daemon at qemu:///system, one connection, no events: what the backup task asks of the engine's connection. */
final class SystemLibvirt
        implements LibvirtConnection, AutoCloseable
{
    private final Connect connect;

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
    public <T> T call(LibvirtCall<T> call)
            throws LibvirtException
    {
        return call.apply(connect);
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        throw new UnsupportedOperationException("the backup task listens for no events");
    }

    @Override
    public void close()
            throws LibvirtException
    {
        connect.close();
    }
}
