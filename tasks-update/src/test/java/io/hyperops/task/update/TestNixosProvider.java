package io.hyperops.task.update;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.spi.Trigger;
import io.hyperops.task.update.nixos.NixosProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * NixOS cannot run here: a script in place of {@code nixos-rebuild} records every command line and
 * answers as nixos-rebuild does, so these tests show the exact commands and how their results are read,
 * not a real rebuild.
 */
final class TestNixosProvider
{
    @TempDir
    Path folder;

    private Path calls;
    private Path script;

    @BeforeEach
    void writeScript()
            throws Exception
    {
        calls = folder.resolve("calls.log");
        script = folder.resolve("nixos-rebuild");
        Files.writeString(script, """
                #!/bin/sh
                echo "$*" >> '%1$s'
                case "$1" in
                  dry-build)
                    if [ -e '%2$s/dry-build-fails' ]; then echo "error: builder for '/nix/store/abc-linux.drv' failed with exit code 2"; exit 1; fi
                    if [ -e '%2$s/up-to-date' ]; then exit 0; fi
                    if [ -e '%2$s/one-derivation' ]; then echo "this derivation will be built:"; echo "  /nix/store/abc-nixos-system-hv1-24.05.drv"; exit 0; fi
                    echo "these 2 derivations will be built:"
                    echo "  /nix/store/abc-nixos-system-hv1-24.05.drv"
                    echo "these 5 paths will be fetched (12.30 MiB download, 60.10 MiB unpacked):"
                    ;;
                  list-generations)
                    if [ -e '%2$s/no-generations' ]; then echo "unknown action: list-generations"; exit 1; fi
                    echo "Generation  Build-date           NixOS version  Kernel  Current"
                    if [ -e '%2$s/switched' ]; then
                      echo "43          2025-06-03 10:00:00  24.05.2        6.6.31  True"
                      echo "42          2025-06-02 10:00:00  24.05.1        6.6.30  False"
                    else
                      echo "42          2025-06-02 10:00:00  24.05.1        6.6.30  True"
                    fi
                    echo "41          2025-06-01 10:00:00  24.05.0        6.6.29  False"
                    ;;
                  switch)
                    if [ "$2" = "--rollback" ]; then rm -f '%2$s/switched'; exit 0; fi
                    if [ -e '%2$s/switch-fails' ]; then echo "error: activation failed"; exit 4; fi
                    # the new generation is the system's before activation runs, and stays so when it fails
                    touch '%2$s/switched'
                    if [ -e '%2$s/activation-fails' ]; then echo "warning: the following units failed: x.service"; exit 4; fi
                    ;;
                esac
                """.formatted(calls, folder));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void checkDryBuildsTheFlakeAndListsGenerations()
            throws Exception
    {
        ProviderCheck check = provider("/etc/hypervisor", "hv1").check();

        assertThat(Files.readAllLines(calls)).containsExactly("dry-build --flake /etc/hypervisor#hv1", "list-generations");
        assertThat(check.updatesAvailable()).isTrue();
        assertThat(check.summary()).isEqualTo("these 2 derivations will be built:; these 5 paths will be fetched (12.30 MiB download, 60.10 MiB unpacked):");
        assertThat(check.details()).containsEntry("flake", "/etc/hypervisor#hv1");
        assertThat(Files.readString(calls)).doesNotContain("switch");
    }

    @Test
    void aSingleDerivationToBuildIsAnUpdate()
            throws Exception
    {
        Files.createFile(folder.resolve("one-derivation"));

        ProviderCheck check = provider("", null).check();

        assertThat(check.updatesAvailable()).isTrue();
        assertThat(check.summary()).isEqualTo("this derivation will be built:");
    }

    @Test
    void nothingToBuildIsUpToDate()
            throws Exception
    {
        Files.createFile(folder.resolve("up-to-date"));

        ProviderCheck check = provider("", null).check();

        assertThat(check.updatesAvailable()).isFalse();
        assertThat(Files.readAllLines(calls)).containsExactly("dry-build", "list-generations");
    }

    @Test
    void applyDryBuildsThenSwitchesAndRollbackSwitchesBack()
            throws Exception
    {
        NixosProvider provider = provider("/etc/hypervisor", null);
        ProviderCheck check = provider.check();

        AppliedStep step = provider.apply(check);
        provider.rollback(step);

        assertThat(Files.readAllLines(calls)).containsExactly(
                "dry-build --flake /etc/hypervisor", "list-generations",
                "dry-build --flake /etc/hypervisor", "list-generations", "switch --flake /etc/hypervisor",
                "list-generations", "switch --rollback");
        assertThat(step.rollback().get("generation_before")).startsWith("42").endsWith("True");
    }

    @Test
    void aRollbackOfASwitchThatMadeNoGenerationOrWasUndoneAlreadyChangesNothing()
            throws Exception
    {
        // `switch --rollback` goes one back from wherever the system is: run for a switch cut off before
        // it made its generation (the plan on record), or a second time, it would go one too far
        NixosProvider provider = provider("/etc/hypervisor", null);
        ProviderCheck check = provider.check();
        AppliedStep planned = provider.planned(check).orElseThrow();
        assertThat(planned.rollback().get("generation_before")).startsWith("42");

        provider.rollback(planned);
        AppliedStep step = provider.apply(check);
        provider.rollback(step);
        provider.rollback(step);

        assertThat(Files.readAllLines(calls).stream().filter(call -> call.equals("switch --rollback"))).hasSize(1);
    }

    @Test
    void withoutListGenerationsARollbackAlwaysSwitchesBack()
            throws Exception
    {
        // an older nixos-rebuild without list-generations: "unknown" before and after proves nothing
        Files.createFile(folder.resolve("no-generations"));
        NixosProvider provider = provider("/etc/hypervisor", null);
        AppliedStep step = provider.apply(provider.check());
        assertThat(step.rollback().get("generation_before")).isEqualTo("unknown");

        provider.rollback(step);

        assertThat(Files.readAllLines(calls)).endsWith("switch --rollback");
    }

    @Test
    void aFailedDryBuildAbortsBeforeTheSwitch()
            throws Exception
    {
        NixosProvider provider = provider("/etc/hypervisor", "hv1");
        ProviderCheck check = provider.check();
        Files.createFile(folder.resolve("dry-build-fails"));

        assertThatThrownBy(() -> provider.apply(check)).isInstanceOf(UpdateException.class)
                .hasMessageContaining("dry-build failed, the switch was not attempted")
                .hasMessageContaining("exited with 1: error: builder for '/nix/store/abc-linux.drv' failed with exit code 2");
        assertThat(Files.readAllLines(calls)).doesNotContain("switch --flake /etc/hypervisor#hv1");
    }

    @Test
    void aFailedSwitchIsReportedWithItsOutput()
            throws Exception
    {
        NixosProvider provider = provider("/etc/hypervisor", "hv1");
        ProviderCheck check = provider.check();
        Files.createFile(folder.resolve("switch-fails"));

        UpdateException failure = catchThrowableOfType(UpdateException.class, () -> provider.apply(check));
        assertThat(failure).hasMessageContaining("switch failed").hasMessageContaining("exited with 4: error: activation failed");
        // still generation 42 after it: nothing to roll back
        assertThat(failure.partlyApplied()).isEmpty();
        assertThat(Files.readAllLines(calls)).endsWith("switch --flake /etc/hypervisor#hv1", "list-generations");
    }

    @Test
    void aSwitchWhoseActivationFailedIsStillAStepToRollBack()
            throws Exception
    {
        NixosProvider provider = provider("/etc/hypervisor", "hv1");
        ProviderCheck check = provider.check();
        Files.createFile(folder.resolve("activation-fails"));

        UpdateException failure = catchThrowableOfType(UpdateException.class, () -> provider.apply(check));

        assertThat(failure).hasMessageContaining("switch failed").hasMessageContaining("switched generations all the same: 43");
        assertThat(failure.partlyApplied()).hasValueSatisfying(step -> assertThat(step.rollback()).containsEntry("generation_before", "42          2025-06-02 10:00:00  24.05.1        6.6.30  True"));
    }

    @Test
    void theUpdateRollsBackASwitchWhoseActivationFailed()
            throws Exception
    {
        TestingUpdateHost host = new TestingUpdateHost(folder.resolve("host"), TestingLibvirtConnection.testDriver());
        host.settings(TestingUpdateHost.settings(List.of(new ProviderSettings.Nixos(null, "/etc/hypervisor", "hv1", script.toString(), Duration.ofSeconds(30))), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        Files.createFile(folder.resolve("activation-fails"));
        UpdateSettings settings = host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class);

        JobResult result = host.service().apply(settings, host.run(UpdatePlugin.UPDATE_JOB, settings, Trigger.MANUAL));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).startsWith("rolled back (automatic) nixos");
        assertThat(Files.readAllLines(calls)).contains("switch --rollback");
    }

    @Test
    void aFailingDryBuildRefusesTheUpdateBeforeAnyProviderChanges()
            throws Exception
    {
        TestingUpdateHost host = new TestingUpdateHost(folder.resolve("host"), TestingLibvirtConnection.testDriver());
        Path log = folder.resolve("commands.log");
        ProviderSettings.Command first = new ProviderSettings.Command("first", List.of(), List.of("sh", "-c", "echo 'apply first' >> '" + log + "'"),
                List.of("sh", "-c", "echo 'rollback first' >> '" + log + "'"), null, null, null);
        host.settings(TestingUpdateHost.settings(List.of(first, new ProviderSettings.Nixos(null, "/etc/hypervisor", "hv1", script.toString(), Duration.ofSeconds(30))), true));
        host.jobs.job("backup", RunOutcome.SUCCESS).job("health", RunOutcome.SUCCESS);
        Files.createFile(folder.resolve("dry-build-fails"));
        UpdateSettings settings = host.settings(UpdatePlugin.UPDATE_JOB, UpdateSettings.class);

        JobResult result = host.service().apply(settings, host.run(UpdatePlugin.UPDATE_JOB, settings, Trigger.MANUAL));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).startsWith("update refused: nixos: check failed: dry-build failed, nothing was changed");
        assertThat(log).doesNotExist();
        assertThat(host.jobs.runs()).isEmpty();
        assertThat(Files.readString(calls)).doesNotContain("switch");
    }

    private NixosProvider provider(String flake, String host)
    {
        return new NixosProvider(new ProviderSettings.Nixos(null, flake, host, script.toString(), Duration.ofSeconds(30)), new ProcessCommandRunner());
    }
}
