package io.hyperops.engine.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every key and value of a JSON document, by JSON pointer. Jackson's tree keeps no
 * positions, so one streaming pass over the same text records them for the error report.
 */
final class SourceLocations
{
    private final Map<String, JsonLocation> keys = new HashMap<>();
    private final Map<String, JsonLocation> values = new HashMap<>();

    static SourceLocations scan(JsonFactory factory, String text)
            throws IOException
    {
        SourceLocations locations = new SourceLocations();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (token == JsonToken.FIELD_NAME) {
                    locations.keys.put(pointer, parser.currentTokenLocation());
                }
                else if (token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                    // A value's pointer: for START_OBJECT/ARRAY the context is already the new one, so use its parent's path.
                    String valuePointer = token.isStructStart() ? parser.getParsingContext().getParent().pathAsPointer().toString() : pointer;
                    locations.values.putIfAbsent(valuePointer, parser.currentTokenLocation());
                }
            }
        }
        return locations;
    }

    /** Where the key of {@code pointer} is written, else where its value is, else the closest parent. */
    JsonLocation key(String pointer)
    {
        return find(pointer, keys, values);
    }

    /** Where the value of {@code pointer} starts, else its key, else the closest parent. */
    JsonLocation value(String pointer)
    {
        return find(pointer, values, keys);
    }

    private static JsonLocation find(String pointer, Map<String, JsonLocation> first, Map<String, JsonLocation> second)
    {
        JsonPointer current = JsonPointer.compile(pointer);
        while (current != null) {
            String text = current.toString();
            JsonLocation location = first.getOrDefault(text, second.get(text));
            if (location != null) {
                return location;
            }
            current = current.head();
        }
        return JsonLocation.NA;
    }
}
