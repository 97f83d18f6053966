package io.hyperops.spi;

/**
 * Pre-flight checks before VM operations, offered by the health task and used by other tasks (the
 * backup job checks space before it starts). Inject it as {@code java.util.Optional<Preflight>}: the
 * engine declares the optional binding, the health task fills it, so a task works (without checks)
 * on an engine built without health.
 */
public interface Preflight
{
    /** Runs every check of the operation, never stopping at the first failure. */
    PreflightReport check(PreflightOperation operation);
}
