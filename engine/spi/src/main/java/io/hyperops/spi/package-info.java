/**
 * The contract between the hyperops engine and its task modules.
 *
 * <p>Interfaces and value types only. A task module depends on this package (scope {@code provided}) and
 * on its own libraries, never on the engine or on another task; the engine finds task modules with
 * {@link java.util.ServiceLoader} through {@link io.hyperops.spi.TaskPlugin}.
 *
 * <p>The engine binds these for task modules to inject: {@link io.hyperops.spi.HostPaths},
 * {@link io.hyperops.spi.JsonFiles}, {@link io.hyperops.spi.TextFiles}, {@link io.hyperops.spi.LibvirtConnection},
 * {@link io.hyperops.spi.JobRunner}, {@link io.hyperops.spi.JobHistory}, {@link io.hyperops.spi.JobAccess},
 * {@link io.hyperops.spi.AuditLog}, {@code java.time.Clock}, and an optional
 * {@link io.hyperops.spi.Preflight} (inject {@code Optional<Preflight>}).
 */
package io.hyperops.spi;
