package io.hyperops.task.update;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code <data_dir>/update-status.json}: the seed's fields ({@code last_check}, {@code updates_available},
 * {@code local_commit}, {@code remote_commit}, the commits of the first git provider), each provider's
 * check, and the last update with its outcome.
 *
 * @param configured the providers as configured, in order (name, type, repository, flake, ...)
 * @param problems checks that failed, with their reason
 * @param lastUpdate the newest update or rollback, {@code null} before the first
 */
public record UpdateStatus(
        String lastCheck,
        boolean updatesAvailable,
        String localCommit,
        String remoteCommit,
        List<Map<String, Object>> configured,
        List<ProviderCheck> providers,
        List<String> problems,
        UpdateRecord lastUpdate)
{
    public static final String FILE = "update-status.json";

    public UpdateStatus
    {
        requireNonNull(lastCheck, "lastCheck is null");
        configured = List.copyOf(requireNonNull(configured, "configured is null"));
        providers = List.copyOf(requireNonNull(providers, "providers is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }
}
