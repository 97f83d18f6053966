package io.hyperops.task.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * and moved into place, so a test reads the bytes a reader on the host would.
 */
public final class TestingJsonFiles
        implements JsonFiles
{
    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

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
