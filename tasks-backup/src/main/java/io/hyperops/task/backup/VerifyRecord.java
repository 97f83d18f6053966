package io.hyperops.task.backup;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The last verify of one archive, kept beside it as {@code verify.json} (the health task's
 * {@code backup_verify} check reads {@code time}, {@code ok} and {@code message}).
 *
 * @param imageChecks the {@code qemu-img check} of each disk restored to a scratch image; empty when that is off
 */
public record VerifyRecord(String time, boolean ok, String message, List<ImageCheck> imageChecks)
{
    public static final String FILE_NAME = "verify.json";

    public VerifyRecord
    {
        requireNonNull(time, "time is null");
        requireNonNull(message, "message is null");
        // verify.json files written before image checks existed have none
        imageChecks = imageChecks == null ? List.of() : List.copyOf(imageChecks);
    }

    /**
     * One disk restored to a scratch image and checked.
     *
     * @param result what {@code qemu-img check} said, or why there was nothing to check
     */
    public record ImageCheck(String target, String format, boolean ok, String result)
    {
        public ImageCheck
        {
            requireNonNull(target, "target is null");
            requireNonNull(format, "format is null");
            requireNonNull(result, "result is null");
        }
    }
}
