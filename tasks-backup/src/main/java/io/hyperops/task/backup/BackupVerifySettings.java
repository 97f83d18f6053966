package io.hyperops.task.backup;

import io.hyperops.spi.Description;

import java.time.Duration;

/** Settings of the {@code backup-verify} job; where backups are and the keys come from the {@code backup} job's settings. */
@Description("Reads stored archives back in full (OpenPGP integrity, decompression, every disk's SHA-256 and, with the backup job's verify_qemu_img_check, qemu-img check of each qcow2 disk restored to a scratch image), never-verified first, then oldest verify first.")
public record BackupVerifySettings(
        @Description("Stop starting new verifies after this long; default 2 hours. The archive being read is finished.")
        Duration timeBudget)
{
    public BackupVerifySettings
    {
        timeBudget = timeBudget == null ? Duration.ofHours(2) : timeBudget;
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("time_budget must be longer than zero, was " + timeBudget);
        }
    }
}
