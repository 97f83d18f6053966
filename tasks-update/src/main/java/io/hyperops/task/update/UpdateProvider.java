package io.hyperops.task.update;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * One thing an update changes: the config repository, the NixOS system, the Debian packages, or
 * whatever an operator's commands do. The update job checks every provider, applies those with
 * updates in the configured order and, when the health gate fails, rolls back what it applied in
 * reverse order.
 */
public interface UpdateProvider
{
    /** The provider's name from the config, unique on the host: {@code git}, {@code nixos}, {@code site-script}. */
    String name();

    /** What is configured, for status and history: repository, branch, flake, ... */
    Map<String, Object> describe();

    /** Looks for updates without changing anything but caches (git fetch, apt-get update). */
    ProviderCheck check()
            throws UpdateException, IOException, InterruptedException;

    /**
     * What {@link #rollback} would need should {@link #apply} be cut off half-way (the daemon killed,
     * the host rebooted): kept on record before the apply starts, so that an update cut off inside this
     * step is rolled back whole. The rollback of such a step must cope with a step that changed nothing
     * or only part; a provider that cannot undo a partial apply marks its step
     * ({@link AppliedStep#PARTIAL_ROLLBACK}), and it is rolled back only when its apply ended well.
     * Empty when nothing is to be kept on record.
     */
    default Optional<AppliedStep> planned(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        return Optional.empty();
    }

    /**
     * Applies the updates {@code check} found; refuses with {@link UpdateException} when it cannot be
     * done safely. Returns what {@link #rollback} needs, which is kept in the update's state.
     */
    AppliedStep apply(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException;

    /** Undoes one {@link AppliedStep} of this provider. */
    void rollback(AppliedStep step)
            throws UpdateException, IOException, InterruptedException;
}
