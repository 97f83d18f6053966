package io.hyperops.engine.config;

import io.hyperops.spi.EngineFacts;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@link EngineFacts} from the config in force. */
public final class CurrentEngineFacts
        implements EngineFacts
{
    private final CurrentConfig config;

    @Inject
    public CurrentEngineFacts(CurrentConfig config)
    {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public Path configFile()
    {
        return config.get().file();
    }

    @Override
    public Path controlSocket()
    {
        return config.get().engine().controlSocket();
    }

    @Override
    public String operatorGroup()
    {
        return config.get().engine().operatorGroup();
    }

    @Override
    public String adminGroup()
    {
        return config.get().engine().adminGroup();
    }

    @Override
    public List<String> refusedEdit()
    {
        return config.lastReload().filter(reload -> !reload.accepted())
                .map(reload -> reload.problems().stream().map(ConfigProblem::toString).toList())
                .orElse(List.of());
    }
}
