package io.hyperops.task.update.command;

import io.hyperops.task.update.AppliedStep;
import io.hyperops.task.update.CommandRunner;
import io.hyperops.task.update.ProviderCheck;
import io.hyperops.task.update.ProviderSettings;
import io.hyperops.task.update.UpdateException;
import io.hyperops.task.update.UpdateProvider;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An operator's own check, apply and rollback commands, for whatever the other providers do not
 * cover. The commands are argument lists run without a shell; an operator who wants one writes
 * {@code ["sh", "-c", "..."]}.
 */
public final class CommandProvider
        implements UpdateProvider
{
    private final ProviderSettings.Command settings;
    private final CommandRunner runner;

    public CommandProvider(ProviderSettings.Command settings, CommandRunner runner)
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
        description.put("check", settings.check());
        description.put("apply", settings.apply());
        description.put("rollback", settings.rollback());
        return description;
    }

    @Override
    public ProviderCheck check()
            throws UpdateException, IOException, InterruptedException
    {
        if (settings.check().isEmpty()) {
            return new ProviderCheck(name(), settings.type(), false, true, null, "no check command: applied with every update of the other providers", Map.of());
        }
        CommandRunner.Result result = run(settings.check());
        if (result.timedOut() || (result.exitCode() != 0 && result.exitCode() != 1)) {
            throw new UpdateException(result.describe());
        }
        boolean available = result.exitCode() == 0;
        return new ProviderCheck(name(), settings.type(), available, false, null, available ? "updates available" : "up to date", Map.of("output", result.output()));
    }

    @Override
    public Optional<AppliedStep> planned(ProviderCheck check)
    {
        // On record either way, so that an apply cut off and then finished well is kept with its rollback;
        // the operator's rollback copes with a partial apply only where they said so.
        return Optional.of(settings.rollbackFailedApply() ? step()
                : new AppliedStep(name(), settings.type(), "ran " + String.join(" ", settings.apply()), Map.of(AppliedStep.PARTIAL_ROLLBACK, "false")));
    }

    @Override
    public AppliedStep apply(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        CommandRunner.Result result = runner.runStep(settings.apply(), settings.directory(), Map.of(), settings.timeout());
        AppliedStep step = step();
        if (result.succeeded()) {
            return step;
        }
        // How far a command got before it failed is the operator's knowledge, not ours: its rollback runs
        // only where the operator said it copes with any partial apply.
        if (settings.rollbackFailedApply()) {
            throw new UpdateException(result.describe() + "; rolled back with the rest (rollback_failed_apply)", step);
        }
        throw new UpdateException(result.describe() + (settings.rollback().isEmpty()
                ? "; what it changed before failing stays: check the host"
                : "; what it changed before failing stays: check the host, and run '" + String.join(" ", settings.rollback()) + "' by hand if needed"));
    }

    @Override
    public void rollback(AppliedStep step)
            throws UpdateException, IOException, InterruptedException
    {
        if (settings.rollback().isEmpty()) {
            throw new UpdateException("no rollback command; undo '" + String.join(" ", settings.apply()) + "' by hand, or configure 'rollback'");
        }
        CommandRunner.Result result = runner.runStep(settings.rollback(), settings.directory(), Map.of(), settings.timeout());
        if (!result.succeeded()) {
            throw new UpdateException(result.describe());
        }
    }

    private AppliedStep step()
    {
        return new AppliedStep(name(), settings.type(), "ran " + String.join(" ", settings.apply()), Map.of());
    }

    private CommandRunner.Result run(List<String> command)
            throws IOException, InterruptedException
    {
        return runner.run(command, settings.directory(), Map.of(), settings.timeout());
    }
}
