package io.hyperops.engine.control;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** The control socket's bindings; its handlers stay package-private. */
public final class ControlModule
        extends AbstractModule
{
    @Override
    protected void configure()
    {
        bind(ControlHandlers.class).in(Scopes.SINGLETON);
        bind(TaskCommands.class).in(Scopes.SINGLETON);
        bind(ControlServer.class).in(Scopes.SINGLETON);
    }
}
