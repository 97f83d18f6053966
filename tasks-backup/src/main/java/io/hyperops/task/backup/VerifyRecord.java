package io.hyperops.task.backup;

import static java.util.Objects.requireNonNull;

/** The last verify of one archive, kept beside it as {@code verify.json}. */
public record VerifyRecord(String time, boolean ok, String message)
{
    public static final String FILE_NAME = "verify.json";

    public VerifyRecord
    {
        requireNonNull(time, "time is null");
        requireNonNull(message, "message is null");
    }
}
