package io.hyperops.engine.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperops.spi.JsonFiles;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * JSON documents on disk, written atomically with a leading {@code schema_version}. Reading a file that
 * a newer hyperops wrote fails with a message instead of misreading it.
 */
public final class JsonFileStore
        implements JsonFiles
{
    public static final int SCHEMA_VERSION = 1;
    private static final String VERSION_FIELD = "schema_version";

    private final ObjectMapper mapper;

    @Inject
    public JsonFileStore(ObjectMapper mapper)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public void write(Path file, Object value)
    {
        JsonNode tree = mapper.valueToTree(value);
        if (!(tree instanceof ObjectNode fields)) {
            throw new IllegalArgumentException("state must be a record or map written as a JSON object, not " + value.getClass().getSimpleName() + " (" + file + ")");
        }
        ObjectNode document = mapper.createObjectNode();
        document.set(VERSION_FIELD, IntNode.valueOf(SCHEMA_VERSION));
        document.setAll(fields);
        try {
            AtomicFiles.write(file, mapper.writeValueAsBytes(document));
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName() + " for " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> Optional<T> read(Path file, Class<T> type)
    {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            ObjectNode document = (ObjectNode) mapper.readTree(content);
            int version = document.path(VERSION_FIELD).asInt(SCHEMA_VERSION);
            if (version > SCHEMA_VERSION) {
                throw new IllegalStateException(file + " has schema_version " + version + ", newer than this hyperops reads (" + SCHEMA_VERSION + "); upgrade hyperops or move the file away");
            }
            document.remove(VERSION_FIELD);
            return Optional.of(mapper.treeToValue(document, type));
        }
        catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot read " + file + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
