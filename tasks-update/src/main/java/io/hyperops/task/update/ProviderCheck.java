package io.hyperops.task.update;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What one provider's check found, as written to {@code update-status.json}.
 *
 * @param appliedWithOthers applied whenever another provider has updates, though it reports none itself
 *         (a command provider without a check command)
 * @param blocked why the update cannot be applied as things stand (local changes, divergence), or {@code null}
 * @param details the provider's own facts: commits, packages, dry-build output
 */
public record ProviderCheck(String provider, String type, boolean updatesAvailable, boolean appliedWithOthers, String blocked, String summary, Map<String, Object> details)
{
    public ProviderCheck
    {
        requireNonNull(provider, "provider is null");
        requireNonNull(type, "type is null");
        requireNonNull(summary, "summary is null");
        details = Map.copyOf(requireNonNull(details, "details is null"));
    }
}
