package io.hyperops.task.update.nixos;

import io.hyperops.task.update.AppliedStep;
import io.hyperops.task.update.CommandRunner;
import io.hyperops.task.update.ProviderCheck;
import io.hyperops.task.update.ProviderSettings;
import io.hyperops.task.update.UpdateException;
import io.hyperops.task.update.UpdateProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The NixOS system, as the seed updated it: {@code nixos-rebuild dry-build} (a failed build aborts
 * before anything changes), {@code switch}, and {@code switch --rollback} back to the previous
 * generation. The generations before and after are kept for the record.
 */
public final class NixosProvider
        implements UpdateProvider
{
    static final String GENERATION_BEFORE = "generation_before";

    private final ProviderSettings.Nixos settings;
    private final CommandRunner runner;

    public NixosProvider(ProviderSettings.Nixos settings, CommandRunner runner)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public String name()
    {
        return settings.name();
    }

    @Override
    public Map<String, Object> describe()
    {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", settings.type());
        description.put("flake", flakeReference());
        return description;
    }

    /**
     * A dry build says what a switch would build or fetch; nothing to build means the running system is
     * already what the configuration describes.
     */
    @Override
    public ProviderCheck check()
            throws UpdateException, IOException, InterruptedException
    {
        String output = rebuild("dry-build", "dry-build failed, nothing was changed");
        List<String> changes = output.lines()
                // "these 2 derivations will be built:", and for a single one "this derivation will be built:"
                .filter(line -> (line.startsWith("these ") || line.startsWith("this ")) && (line.contains("will be built") || line.contains("will be fetched")))
                .toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("flake", flakeReference());
        details.put("dry_build", changes);
        details.put("generations", generations());
        return new ProviderCheck(name(), settings.type(), !changes.isEmpty(), false, null,
                changes.isEmpty() ? "the system matches its configuration" : String.join("; ", changes), details);
    }

    @Override
    public Optional<AppliedStep> planned(ProviderCheck check)
            throws IOException, InterruptedException
    {
        return Optional.of(new AppliedStep(name(), settings.type(), "switching to the new generation of " + flakeReference(), Map.of(GENERATION_BEFORE, currentGeneration())));
    }

    @Override
    public AppliedStep apply(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        // The check's dry build may be old (or from another process): build again right before switching.
        rebuild("dry-build", "dry-build failed, the switch was not attempted");
        String before = currentGeneration();
        AppliedStep step = new AppliedStep(name(), settings.type(), "switched to the new generation of " + flakeReference(), Map.of(GENERATION_BEFORE, before));
        try {
            rebuild("switch", "switch failed", true);
        }
        catch (UpdateException e) {
            // A switch whose activation failed (exit 4: a unit did not start) has moved the system all the
            // same: that is a step to roll back, not nothing.
            String after = currentGeneration();
            if (!after.equals(before)) {
                throw new UpdateException(e.getMessage() + " (the system switched generations all the same: " + after + ")", step);
            }
            throw e;
        }
        return step;
    }

    @Override
    public void rollback(AppliedStep step)
            throws UpdateException, IOException, InterruptedException
    {
        // `--rollback` goes one generation back from wherever the system is: a switch cut off before it
        // made its generation, or a rollback run twice, would go one too far
        String before = step.rollback().get(GENERATION_BEFORE);
        String now = currentGeneration();
        // only two real generation numbers prove nothing moved; "unknown" (no list-generations) proves nothing
        if (before != null && generationNumber(before).matches("\\d+") && generationNumber(before).equals(generationNumber(now))) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(settings.nixosRebuild(), "switch", "--rollback"));
        CommandRunner.Result result = runner.runStep(command, Path.of("/"), Map.of(), settings.timeout());
        if (!result.succeeded()) {
            throw new UpdateException(result.describe() + "; the generation before the update was "
                    + step.rollback().getOrDefault(GENERATION_BEFORE, "unknown") + " (nixos-rebuild list-generations)");
        }
    }

    private String rebuild(String action, String failure)
            throws UpdateException, IOException, InterruptedException
    {
        return rebuild(action, failure, false);
    }

    /** @param step a switch: left to finish when the run is stopped ({@link CommandRunner#runStep}) */
    private String rebuild(String action, String failure, boolean step)
            throws UpdateException, IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(settings.nixosRebuild(), action));
        if (!settings.flake().isEmpty()) {
            command.add("--flake");
            command.add(flakeReference());
        }
        CommandRunner.Result result = step
                ? runner.runStep(command, Path.of("/"), Map.of(), settings.timeout())
                : runner.run(command, Path.of("/"), Map.of(), settings.timeout());
        if (!result.succeeded()) {
            throw new UpdateException(failure + ": " + result.describe());
        }
        return result.output();
    }

    private List<String> generations()
            throws IOException, InterruptedException
    {
        CommandRunner.Result result = runner.run(List.of(settings.nixosRebuild(), "list-generations"), Path.of("/"), Map.of(), settings.timeout());
        return result.succeeded() ? result.output().lines().toList() : List.of("unavailable: " + result.describe());
    }

    /** The generation's number: the first field of its list-generations line ("unknown" stays itself). */
    private static String generationNumber(String line)
    {
        String stripped = line.strip();
        int space = stripped.indexOf(' ');
        return space < 0 ? stripped : stripped.substring(0, space);
    }

    /** The line nixos-rebuild marks {@code True} (or {@code current}) in the current column. */
    private String currentGeneration()
            throws IOException, InterruptedException
    {
        return generations().stream()
                .filter(line -> line.contains("True") || line.contains("current"))
                .findFirst()
                .map(String::strip)
                .orElse("unknown");
    }

    private String flakeReference()
    {
        if (settings.flake().isEmpty()) {
            return "configuration.nix";
        }
        return settings.host() == null ? settings.flake() : settings.flake() + "#" + settings.host();
    }
}
