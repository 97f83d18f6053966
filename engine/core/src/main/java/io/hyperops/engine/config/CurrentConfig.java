package io.hyperops.engine.config;

import io.hyperops.engine.text.Suggestions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The config in force, swapped whole on a valid reload, and what became of the last edit. Services read
 * it at the moment they need it, so a reload reaches the next run without restarting anything.
 */
public final class CurrentConfig
{
    private final AtomicReference<EngineConfig> config;
    private final AtomicReference<ReloadStatus> lastReload = new AtomicReference<>();

    public CurrentConfig(EngineConfig initial)
    {
        this.config = new AtomicReference<>(requireNonNull(initial, "initial is null"));
    }

    public EngineConfig get()
    {
        return config.get();
    }

    public JobConfig job(String name)
    {
        return get().job(name).orElseThrow(() -> new IllegalArgumentException("no job named '" + name + "'" + Suggestions.didYouMean(name, get().jobs().keySet())));
    }

    public void accept(EngineConfig next, Instant when)
    {
        config.set(requireNonNull(next, "next is null"));
        lastReload.set(new ReloadStatus(when, true, List.of()));
    }

    public void refuse(List<ConfigProblem> problems, Instant when)
    {
        lastReload.set(new ReloadStatus(when, false, List.copyOf(problems)));
    }

    /** Empty until the file was edited while the engine ran. */
    public Optional<ReloadStatus> lastReload()
    {
        return Optional.ofNullable(lastReload.get());
    }

    public record ReloadStatus(Instant time, boolean accepted, List<ConfigProblem> problems) {}
}
