package io.hyperops.testing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hyperops.spi.JsonFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@link JsonFiles} for tests: Jackson with the engine's snake_case names, written to a temporary file
 * and moved into place, so a test reads exactly the bytes a reader on the host would. Times and
 * optionals are written as the engine's mapper writes them.
 */
public final class TestingJsonFiles
        implements JsonFiles
{
    private final ObjectMapper mapper;

    public TestingJsonFiles()
    {
        this(JsonInclude.Include.ALWAYS);
    }

    /** @param inclusion the mapper's default for null values; the engine may choose either */
    public TestingJsonFiles(JsonInclude.Include inclusion)
    {
        this.mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(inclusion, inclusion))
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .build();
    }

    @Override
    public void write(Path file, Object value)
    {
        try {
            Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
            mapper.writeValue(temporary.toFile(), value);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> Optional<T> read(Path file, Class<T> type)
    {
        try {
            return Optional.of(mapper.readValue(Files.readAllBytes(file), type));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
