package io.hyperops.task.backup.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Decides which backups of one guest to prune. Safety comes last and wins: a protected backup and
 * the newest good backup are always kept, whatever the rules say, so a run of broken backups never
 * rotates away the last one that restores.
 */
public final class Retention
{
    private final RetentionPolicy policy;
    private final ZoneId zone;

    /** @param zone periods (hours, days, weeks, ...) are counted in this zone's local time, as Proxmox does */
    public Retention(RetentionPolicy policy, ZoneId zone)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    /** @return one decision per backup, newest first */
    public List<RetentionDecision> decide(List<BackupPoint> backups, Instant now)
    {
        List<BackupPoint> newestFirst = backups.stream().sorted(Comparator.comparing(BackupPoint::time).reversed()).toList();
        Map<String, RetentionDecision> decisions = new LinkedHashMap<>();
        applyKeepRules(newestFirst, decisions);
        applySeedLimits(newestFirst, now, decisions);
        Optional<BackupPoint> newestGood = newestFirst.stream().filter(BackupPoint::good).findFirst();
        List<RetentionDecision> result = new ArrayList<>();
        for (BackupPoint backup : newestFirst) {
            RetentionDecision decision = decisions.getOrDefault(backup.id(), new RetentionDecision(backup, true, "no rule removes it"));
            if (backup.isProtected()) {
                decision = new RetentionDecision(backup, true, "protected");
            }
            else if (!decision.keep() && newestGood.map(good -> good.id().equals(backup.id())).orElse(false)) {
                decision = new RetentionDecision(backup, true, "newest good backup (would have gone: " + decision.reason() + ")");
            }
            result.add(decision);
        }
        return result;
    }

    private void applyKeepRules(List<BackupPoint> newestFirst, Map<String, RetentionDecision> decisions)
    {
        if (!policy.anyKeepRule()) {
            return;
        }
        Map<String, Boolean> marks = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        mark(newestFirst, marks, reasons, policy.keepLast(), "keep-last", BackupPoint::id);
        mark(newestFirst, marks, reasons, policy.keepHourly(), "keep-hourly", backup -> local(backup).truncatedTo(ChronoUnit.HOURS).toString());
        mark(newestFirst, marks, reasons, policy.keepDaily(), "keep-daily", backup -> local(backup).toLocalDate().toString());
        mark(newestFirst, marks, reasons, policy.keepWeekly(), "keep-weekly",
                backup -> local(backup).get(IsoFields.WEEK_BASED_YEAR) + "/" + local(backup).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        mark(newestFirst, marks, reasons, policy.keepMonthly(), "keep-monthly", backup -> local(backup).getYear() + "/" + local(backup).getMonthValue());
        mark(newestFirst, marks, reasons, policy.keepYearly(), "keep-yearly", backup -> String.valueOf(local(backup).getYear()));
        for (BackupPoint backup : newestFirst) {
            boolean keep = marks.getOrDefault(backup.id(), false);
            decisions.put(backup.id(), new RetentionDecision(backup, keep, reasons.getOrDefault(backup.id(), "no keep rule selects it")));
        }
    }

    /**
     * Proxmox's mark_selections: walk newest first; a period an earlier rule already kept a backup in
     * does not count again; protected backups are kept but do not use up N.
     */
    private static void mark(List<BackupPoint> newestFirst, Map<String, Boolean> marks, Map<String, String> reasons, int keep, String rule,
            Function<BackupPoint, String> period)
    {
        if (keep == 0) {
            return;
        }
        Set<String> alreadyIncluded = new HashSet<>();
        for (BackupPoint backup : newestFirst) {
            if (Boolean.TRUE.equals(marks.get(backup.id()))) {
                alreadyIncluded.add(period.apply(backup));
            }
        }
        Set<String> included = new HashSet<>();
        for (BackupPoint backup : newestFirst) {
            if (marks.containsKey(backup.id())) {
                continue;
            }
            if (backup.isProtected()) {
                marks.put(backup.id(), true);
                reasons.put(backup.id(), "protected");
                continue;
            }
            String id = period.apply(backup);
            if (alreadyIncluded.contains(id)) {
                continue;
            }
            if (!included.contains(id)) {
                if (included.size() >= keep) {
                    break;
                }
                included.add(id);
                marks.put(backup.id(), true);
                reasons.put(backup.id(), rule + " " + id);
            }
            else {
                marks.put(backup.id(), false);
                reasons.put(backup.id(), rule + ": a newer backup of " + id + " is kept");
            }
        }
    }

    private void applySeedLimits(List<BackupPoint> newestFirst, Instant now, Map<String, RetentionDecision> decisions)
    {
        for (int index = 0; index < newestFirst.size(); index++) {
            BackupPoint backup = newestFirst.get(index);
            RetentionDecision current = decisions.get(backup.id());
            if (current != null && !current.keep()) {
                continue;
            }
            if (policy.maxBackups() > 0 && index >= policy.maxBackups()) {
                decisions.put(backup.id(), new RetentionDecision(backup, false, "beyond max_backups_per_vm " + policy.maxBackups()));
            }
            else if (policy.retentionDays() > 0 && backup.time().isBefore(now.minus(policy.retentionDays(), ChronoUnit.DAYS))) {
                decisions.put(backup.id(), new RetentionDecision(backup, false, "older than retention_days " + policy.retentionDays()));
            }
        }
    }

    private ZonedDateTime local(BackupPoint backup)
    {
        return backup.time().atZone(zone);
    }
}
