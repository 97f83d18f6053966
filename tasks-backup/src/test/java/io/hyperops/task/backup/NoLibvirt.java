package io.hyperops.task.backup;

import io.hyperops.spi.LibvirtConnection;
import org.libvirt.event.LifecycleListener;

/** For code under test that must never reach libvirt (listing, pruning, verifying files): any call fails the test. */
final class NoLibvirt
        implements LibvirtConnection
{
    @Override
    public String uri()
    {
        return "test:///none";
    }

    @Override
    public <T> T call(LibvirtCall<T> call)
    {
        throw new AssertionError("this code must not call libvirt");
    }

    @Override
    public AutoCloseable addLifecycleListener(LifecycleListener listener)
    {
        throw new AssertionError("the backup task listens for no events");
    }
}
