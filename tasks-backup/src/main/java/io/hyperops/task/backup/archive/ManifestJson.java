package io.hyperops.task.backup.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The manifest as JSON, snake_case like every hyperops file; written atomically beside the archive. */
public final class ManifestJson
{
    public static final String FILE_NAME = "backup-info.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestJson() {}

    public static byte[] bytes(BackupManifest manifest)
            throws IOException
    {
        return JSON.writeValueAsBytes(manifest);
    }

    public static BackupManifest parse(byte[] json)
            throws IOException
    {
        return JSON.readValue(json, BackupManifest.class);
    }

    public static BackupManifest read(Path file)
            throws IOException
    {
        return parse(Files.readAllBytes(file));
    }

    /** Any small record as snake_case JSON, e.g. the verify result beside an archive. */
    public static <T> T read(Path file, Class<T> type)
            throws IOException
    {
        return JSON.readValue(Files.readAllBytes(file), type);
    }

    /** Temp file, fsync, rename, fsync of the folder: readers see the old file or the new one. */
    public static void write(Path file, Object value)
            throws IOException
    {
        Path temporary = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(value)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Folders.syncParent(file);
    }
}
