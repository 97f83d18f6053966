package io.hyperops.testing;

import io.hyperops.spi.EngineFacts;

import java.nio.file.Path;
import java.util.List;

/** {@link EngineFacts} as a test sets them; {@link #defaults()} are the engine's defaults. */
public record TestingEngineFacts(Path configFile, Path controlSocket, String operatorGroup, String adminGroup, List<String> refusedEdit)
        implements EngineFacts
{
    public static TestingEngineFacts defaults()
    {
        return new TestingEngineFacts(Path.of("/etc/hypervisor/hyperops.json"), Path.of("/run/hyperops/control.sock"), "hypervisor-operator", "wheel", List.of());
    }
}
