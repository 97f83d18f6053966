package io.hyperops.task.health.check;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One named check. The name is the key in {@code health-status.json} and in the config
 * ({@code check_timeouts}, {@code disabled_checks}); the seed's names are kept where it had the check.
 */
public record HealthCheck(String name, Probe probe)
{
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public HealthCheck
    {
        requireNonNull(name, "name is null");
        requireNonNull(probe, "probe is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("check name '" + name + "' must be lower-case letters, digits and underscores");
        }
    }

    /** The work of a check; may block (a file read on a hung mount, a network probe) and is run on its own thread. */
    @FunctionalInterface
    public interface Probe
    {
        CheckResult run()
                throws Exception;
    }
}
