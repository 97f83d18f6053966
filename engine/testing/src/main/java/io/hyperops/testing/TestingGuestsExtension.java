package io.hyperops.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.libvirt.LibvirtException;

import java.io.IOException;

/**
 * Hands a test a {@link TestingGuests} parameter and closes it when the test ends, pass or fail, so a
 * test that only needs guests has no clean-up code:
 *
 * <pre>{@code
 * @ExtendWith(TestingGuestsExtension.class)
 * final class TestBackupJob
 * {
 *     @Test
 *     void backsUpRunningGuest(TestingGuests guests) throws Exception
 *     {
 *         Guest guest = guests.createRunning("backup");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * A parameter of a test method gets a fixture of its own; a constructor parameter gets one for the
 * test instance (so, with the per-class lifecycle, one for the whole class).
 */
public final class TestingGuestsExtension
        implements ParameterResolver
{
    private static final Namespace NAMESPACE = Namespace.create(TestingGuestsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == TestingGuests.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        // JUnit closes AutoCloseable values of a context's store when that context ends.
        return context.getStore(NAMESPACE).computeIfAbsent(TestingGuests.class, type -> connect(), TestingGuests.class);
    }

    private static TestingGuests connect()
    {
        try {
            return TestingGuests.connect();
        }
        catch (LibvirtException | IOException e) {
            throw new ParameterResolutionException("Cannot prepare test guests: " + e.getMessage(), e);
        }
    }
}
