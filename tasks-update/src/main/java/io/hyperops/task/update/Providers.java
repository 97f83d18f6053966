package io.hyperops.task.update;

import io.hyperops.task.update.apt.AptProvider;
import io.hyperops.task.update.command.CommandProvider;
import io.hyperops.task.update.git.GitProvider;
import io.hyperops.task.update.nixos.NixosProvider;
import jakarta.inject.Inject;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Makes the configured providers, in the configured order. */
public final class Providers
{
    private final CommandRunner runner;

    @Inject
    public Providers(CommandRunner runner)
    {
        this.runner = requireNonNull(runner, "runner is null");
    }

    public List<UpdateProvider> create(List<ProviderSettings> settings)
    {
        return settings.stream().map(this::create).toList();
    }

    private UpdateProvider create(ProviderSettings settings)
    {
        if (settings instanceof ProviderSettings.Git git) {
            return new GitProvider(git, runner);
        }
        if (settings instanceof ProviderSettings.Command command) {
            return new CommandProvider(command, runner);
        }
        if (settings instanceof ProviderSettings.Nixos nixos) {
            return new NixosProvider(nixos, runner);
        }
        if (settings instanceof ProviderSettings.Apt apt) {
            return new AptProvider(apt, runner);
        }
        throw new IllegalArgumentException("unknown provider settings " + settings.getClass().getName());
    }
}
