package io.hyperops.task.backup.retention;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention decisions with a fixed clock: Proxmox's keep-* rules, the seed's limits, and the safety rules that beat both. */
final class TestRetention
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void keepLastKeepsTheNewest()
    {
        List<BackupPoint> backups = daily(5);

        assertThat(kept(policy(3, 0, 0, 0, 0, 0, 0, 0), backups)).containsExactly("d0", "d1", "d2");
    }

    @Test
    void keepDailyKeepsTheNewestOfEachDay()
    {
        List<BackupPoint> backups = List.of(
                good("a", "2026-11-26T10:00:00Z"), good("b", "2026-11-26T02:00:00Z"),
                good("c", "2026-11-25T23:00:00Z"), good("d", "2026-11-25T01:00:00Z"),
                good("e", "2026-11-24T05:00:00Z"));

        assertThat(kept(policy(0, 0, 2, 0, 0, 0, 0, 0), backups)).containsExactly("a", "c");
    }

    @Test
    void laterRulesSkipPeriodsAnEarlierRuleKept()
    {
        // Proxmox: keep-last 1 keeps a; keep-daily 2 then counts the 25th and 24th, not the 26th again
        List<BackupPoint> backups = List.of(
                good("a", "2026-11-26T10:00:00Z"), good("b", "2026-11-26T02:00:00Z"),
                good("c", "2026-11-25T23:00:00Z"), good("d", "2026-11-24T05:00:00Z"), good("e", "2026-11-23T05:00:00Z"));

        assertThat(kept(policy(1, 0, 2, 0, 0, 0, 0, 0), backups)).containsExactly("a", "c", "d");
    }

    @Test
    void hourlyWeeklyMonthlyYearly()
    {
        List<BackupPoint> backups = List.of(
                good("h1", "2026-11-26T11:30:00Z"), good("h2", "2026-11-26T11:10:00Z"), good("h3", "2026-11-26T10:10:00Z"),
                good("w1", "2026-11-18T10:00:00Z"), good("w2", "2026-11-17T10:00:00Z"),
                good("m1", "2026-10-02T10:00:00Z"), good("y1", "2025-06-01T10:00:00Z"), good("y2", "2024-06-01T10:00:00Z"));

        assertThat(kept(policy(0, 2, 0, 0, 0, 0, 0, 0), backups)).containsExactly("h1", "h3");
        assertThat(kept(policy(0, 0, 0, 2, 0, 0, 0, 0), backups)).containsExactly("h1", "w1");
        assertThat(kept(policy(0, 0, 0, 0, 3, 0, 0, 0), backups)).containsExactly("h1", "m1", "y1");
        assertThat(kept(policy(0, 0, 0, 0, 0, 3, 0, 0), backups)).containsExactly("h1", "y1", "y2");
    }

    @Test
    void noRuleKeepsEverything()
    {
        assertThat(kept(policy(0, 0, 0, 0, 0, 0, 0, 0), daily(4))).containsExactly("d0", "d1", "d2", "d3");
    }

    @Test
    void seedLimitsMaxBackupsAndRetentionDays()
    {
        List<BackupPoint> backups = daily(40);

        assertThat(kept(policy(0, 0, 0, 0, 0, 0, 0, 5), backups)).containsExactly("d0", "d1", "d2", "d3", "d4");
        assertThat(kept(policy(0, 0, 0, 0, 0, 0, 30, 0), backups)).hasSize(30).startsWith("d0").endsWith("d29");
        assertThat(decisions(policy(0, 0, 0, 0, 0, 0, 30, 5), backups).get(10).reason()).isEqualTo("beyond max_backups_per_vm 5");
    }

    @Test
    void neverTheNewestGoodBackup()
    {
        // the two newest failed verify; the limit of 1 would leave only a broken one
        List<BackupPoint> backups = List.of(
                broken("bad1", "2026-11-26T02:00:00Z"), broken("bad2", "2026-11-25T02:00:00Z"), good("ok", "2026-11-24T02:00:00Z"),
                good("older", "2026-11-23T02:00:00Z"));

        List<RetentionDecision> decisions = decisions(policy(0, 0, 0, 0, 0, 0, 0, 1), backups);

        assertThat(keptIds(decisions)).containsExactly("bad1", "ok");
        assertThat(decisions.get(2).reason()).startsWith("newest good backup");
    }

    @Test
    void allOlderThanRetentionDaysStillKeepsTheNewest()
    {
        List<BackupPoint> backups = List.of(good("old1", "2026-01-02T02:00:00Z"), good("old2", "2026-01-01T02:00:00Z"));

        assertThat(kept(policy(0, 0, 0, 0, 0, 0, 30, 5), backups)).containsExactly("old1");
    }

    @Test
    void protectedBackupsStayAndDoNotUseUpKeepLast()
    {
        List<BackupPoint> backups = new ArrayList<>(daily(5));
        backups.set(0, new BackupPoint("d0", backups.get(0).time(), true, true));
        backups.set(4, new BackupPoint("d4", backups.get(4).time(), true, true));

        assertThat(kept(policy(2, 0, 0, 0, 0, 0, 0, 0), backups)).containsExactly("d0", "d1", "d2", "d4");
        assertThat(kept(policy(0, 0, 0, 0, 0, 0, 0, 1), backups)).containsExactly("d0", "d4");
    }

    @Test
    void periodsCountInTheGivenZone()
    {
        // 23:30 UTC on the 25th is already the 26th in UTC+2: both backups fall on one local day there
        List<BackupPoint> backups = List.of(good("a", "2026-11-26T08:00:00Z"), good("b", "2026-11-25T23:30:00Z"));

        assertThat(keptIds(new Retention(policy(0, 0, 2, 0, 0, 0, 0, 0), ZoneOffset.UTC).decide(backups, NOW))).containsExactly("a", "b");
        assertThat(keptIds(new Retention(policy(0, 0, 2, 0, 0, 0, 0, 0), ZoneOffset.ofHours(2)).decide(backups, NOW))).containsExactly("a");
    }

    private static RetentionPolicy policy(int last, int hourly, int daily, int weekly, int monthly, int yearly, int days, int max)
    {
        return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, days, max);
    }

    private static List<BackupPoint> daily(int count)
    {
        List<BackupPoint> backups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            backups.add(new BackupPoint("d" + i, NOW.minusSeconds(86_400L * i + 3600), true, false));
        }
        return backups;
    }

    private static BackupPoint good(String id, String time)
    {
        return new BackupPoint(id, Instant.parse(time), true, false);
    }

    private static BackupPoint broken(String id, String time)
    {
        return new BackupPoint(id, Instant.parse(time), false, false);
    }

    private static List<RetentionDecision> decisions(RetentionPolicy policy, List<BackupPoint> backups)
    {
        return new Retention(policy, ZoneOffset.UTC).decide(backups, NOW);
    }

    private static List<String> kept(RetentionPolicy policy, List<BackupPoint> backups)
    {
        return keptIds(decisions(policy, backups));
    }

    private static List<String> keptIds(List<RetentionDecision> decisions)
    {
        return decisions.stream().filter(RetentionDecision::keep).map(decision -> decision.backup().id()).toList();
    }
}
