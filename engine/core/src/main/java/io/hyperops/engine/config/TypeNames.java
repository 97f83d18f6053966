package io.hyperops.engine.config;

import com.fasterxml.jackson.databind.JavaType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Map;

/** Config value types as an operator would name them, for error messages and the reference. */
final class TypeNames
{
    private TypeNames() {}

    static String describe(JavaType type)
    {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return "a string";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "true or false";
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return "a whole number";
        }
        if (raw == Double.class || raw == double.class) {
            return "a number";
        }
        if (raw == Duration.class) {
            return "a time span such as \"90s\", \"30min\", \"1h\" or \"7d\"";
        }
        if (raw == Path.class) {
            return "a file system path";
        }
        if (raw == ZoneId.class) {
            return "a time zone such as \"Europe/Berlin\" or \"UTC\"";
        }
        if (raw.isEnum()) {
            return "one of " + enumValues(raw);
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return "a list; each item " + describe(type.getContentType());
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "an object; each value " + describe(type.getContentType());
        }
        return "an object";
    }

    private static String enumValues(Class<?> type)
    {
        StringBuilder result = new StringBuilder();
        for (Object constant : type.getEnumConstants()) {
            if (result.length() > 0) {
                result.append(", ");
            }
            result.append('"').append(constant.toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).append('"');
        }
        return result.toString();
    }
}
