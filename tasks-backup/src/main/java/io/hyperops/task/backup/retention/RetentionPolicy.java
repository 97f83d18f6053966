package io.hyperops.task.backup.retention;

/**
 * Which backups of one guest to keep. The keep-* rules are Proxmox's: each keeps the newest backup of
 * each of its last N periods that have one, counting only periods no earlier rule has kept a backup
 * in; all zero keeps everything. On top, the seed's limits: older than {@code retentionDays} days or
 * beyond the newest {@code maxBackups} goes. 0 turns a rule off.
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly, int retentionDays, int maxBackups)
{
    public RetentionPolicy
    {
        for (int value : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, retentionDays, maxBackups}) {
            if (value < 0) {
                throw new IllegalArgumentException("retention counts must be 0 or more: " + this);
            }
        }
    }

    boolean anyKeepRule()
    {
        return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly > 0;
    }
}
