package io.hyperops.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a settings record from the components a test names, the rest left null for the compact
 * constructor's defaults: what the engine does with a config file's settings section.
 */
public final class TestingSettings
{
    private TestingSettings() {}

    public static <R extends Record> R of(Class<R> type, Object... namesAndValues)
    {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            arguments[i] = values.remove(components[i].getName());
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException(type.getSimpleName() + " has no component(s) " + values.keySet());
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(arguments);
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
