package io.hyperops.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * What the engine's own settings say, for tasks that check or render them (the security audit's file
 * checks and polkit rules), so a task does not keep a second copy that drifts: an admin who sets
 * {@code engine.admin_group} changes the polkit rules too. Follows config reloads.
 */
public interface EngineFacts
{
    /** The config file the engine reads. */
    Path configFile();

    /** {@code engine.control_socket}. */
    Path controlSocket();

    /** {@code engine.operator_group}. */
    String operatorGroup();

    /** {@code engine.admin_group}. */
    String adminGroup();

    /**
     * The problems of the config file's newest edit when the engine refused it, one line each
     * ({@code file:line:column: key: what}); the engine then runs with the config it accepted before.
     * Empty when the file as it is was accepted.
     */
    List<String> refusedEdit();
}
