package io.hyperops.engine.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.hyperops.engine.schedule.TimeSpans;
import io.hyperops.spi.Overlap;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/** Value types written the way an operator writes them: {@code 30min}, {@code Europe/Berlin}, {@code timed-out}. */
final class HyperopsJsonModule
        extends SimpleModule
{
    HyperopsJsonModule()
    {
        super("hyperops");
        addSerializer(Duration.class, new ToStringSerializer<>(TimeSpans::format));
        addDeserializer(Duration.class, new FromStringDeserializer<>(Duration.class, TimeSpans::parse));
        // Plain paths, not Jackson's default file:// URIs: operators read and write these.
        addSerializer(Path.class, new ToStringSerializer<>(Path::toString));
        addDeserializer(Path.class, new FromStringDeserializer<>(Path.class, Path::of));
        addSerializer(ZoneId.class, new ToStringSerializer<>(ZoneId::getId));
        addDeserializer(ZoneId.class, new FromStringDeserializer<>(ZoneId.class, HyperopsJsonModule::zone));
        addSerializer(Overlap.class, new ToStringSerializer<>(value -> value.name().toLowerCase(Locale.ROOT)));
        addDeserializer(Overlap.class, new FromStringDeserializer<>(Overlap.class, HyperopsJsonModule::overlap));
        addSerializer(RunOutcome.class, new ToStringSerializer<>(RunOutcome::jsonName));
        addDeserializer(RunOutcome.class, new FromStringDeserializer<>(RunOutcome.class, RunOutcome::fromJsonName));
        addSerializer(Trigger.class, new ToStringSerializer<>(Trigger::jsonName));
        addDeserializer(Trigger.class, new FromStringDeserializer<>(Trigger.class, Trigger::fromJsonName));
    }

    private static ZoneId zone(String text)
    {
        try {
            return ZoneId.of(text);
        }
        catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + text + "' (use a name such as Europe/Berlin or UTC)", e);
        }
    }

    private static Overlap overlap(String text)
    {
        for (Overlap overlap : Overlap.values()) {
            if (overlap.name().equalsIgnoreCase(text)) {
                return overlap;
            }
        }
        throw new IllegalArgumentException("overlap must be 'skip' or 'queue', not '" + text + "'");
    }

    private interface Format<T>
    {
        String apply(T value);
    }

    private interface Parse<T>
    {
        T apply(String text);
    }

    private static final class ToStringSerializer<T>
            extends JsonSerializer<T>
    {
        private final Format<T> format;

        ToStringSerializer(Format<T> format)
        {
            this.format = format;
        }

        @Override
        public void serialize(T value, JsonGenerator generator, SerializerProvider serializers)
                throws IOException
        {
            generator.writeString(format.apply(value));
        }
    }

    private static final class FromStringDeserializer<T>
            extends JsonDeserializer<T>
    {
        private final Class<T> type;
        private final Parse<T> parse;

        FromStringDeserializer(Class<T> type, Parse<T> parse)
        {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context)
                throws IOException
        {
            if (parser.currentToken() != JsonToken.VALUE_STRING && parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return type.cast(context.handleUnexpectedToken(type, parser));
            }
            try {
                return parse.apply(parser.getText());
            }
            catch (RuntimeException e) {
                // The parser's own words are the operator-facing message; Jackson's wrapper would bury them.
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
