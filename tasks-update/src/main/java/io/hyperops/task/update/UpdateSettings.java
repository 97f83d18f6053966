package io.hyperops.task.update;

import io.hyperops.spi.Description;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the {@code update} job, which {@code update-check}, {@code update-rollback} and
 * {@code hyperops update} read too: one list of providers for all of them.
 */
@Description("Applies updates provider by provider after a backup, then holds them to a health gate; a failed gate rolls every applied provider back in reverse order.")
public record UpdateSettings(
        @Description("The providers, applied in this order and rolled back in reverse: objects with a 'type' (git, nixos, apt, command) and that type's keys; see docs/update.md. Default: the git config repository /etc/hypervisor.")
        List<ProviderSettings> providers,
        @Description("The job that backs up the guests (those its own settings select) before an update. Default backup.")
        String backupJob,
        @Description("Refuse to update when the backup job does not exist, is disabled or does not succeed. Default true.")
        Boolean requireBackup,
        @Description("How long to wait for the backup. Default 4h.")
        Duration backupTimeout,
        @Description("The job whose checks make up the health gate; empty: no health checks in the gate. Default health.")
        String healthJob,
        @Description("How long the update may take to become healthy after it was applied, before it is rolled back. Default 10min.")
        Duration gracePeriod,
        @Description("Pause between two attempts of the health gate within the grace period. Default 30s.")
        Duration gateInterval,
        @Description("Updates kept in the update's history (state file). Default 50.")
        Integer historySize)
{
    public UpdateSettings
    {
        providers = List.copyOf(providers == null ? List.of(new ProviderSettings.Git(null, null, null, null, null)) : providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("providers must name at least one provider, e.g. [{\"type\": \"git\"}]");
        }
        Set<String> names = new HashSet<>();
        for (ProviderSettings provider : providers) {
            if (!names.add(provider.name())) {
                throw new IllegalArgumentException("providers: the name '" + provider.name() + "' is used twice; give each provider its own 'name'");
            }
        }
        backupJob = backupJob == null ? "backup" : backupJob;
        requireBackup = requireBackup == null || requireBackup;
        backupTimeout = positive("backup_timeout", backupTimeout, Duration.ofHours(4));
        healthJob = healthJob == null ? "health" : healthJob;
        gracePeriod = positive("grace_period", gracePeriod, Duration.ofMinutes(10));
        gateInterval = positive("gate_interval", gateInterval, Duration.ofSeconds(30));
        historySize = historySize == null ? 50 : historySize;
        if (historySize < 1) {
            throw new IllegalArgumentException("history_size must be at least 1, was " + historySize);
        }
    }

    public static UpdateSettings defaults()
    {
        return new UpdateSettings(null, null, null, null, null, null, null, null);
    }

    static Duration positive(String name, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero, was " + result);
        }
        return result;
    }
}
