/**
 * The contract between the hyperops engine and its task modules.
 *
 * <p>Interfaces and value types only. A task module depends on this package (scope {@code provided}) and
 * on its own libraries, never on the engine or on another task; the engine finds task modules with
 * {@link java.util.ServiceLoader} through {@link io.hyperops.spi.TaskPlugin}.
 */
package io.hyperops.spi;
