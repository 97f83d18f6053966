package io.hyperops.dist;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NixOS module evaluated by the real Nix evaluator (Debian's nix-bin) against a small stand-in for
 * nixpkgs' lib and pkgs, since nixpkgs itself cannot be fetched here: its options, the unit it renders,
 * and the config file it generates and checks.
 */
final class TestNixosModule
{
    @Test
    void theModuleRendersTheServiceAndTheCheckedConfig()
            throws Exception
    {
        Path module = Path.of(System.getProperty("hyperops.dist")).resolve("nixos/hyperops.nix");
        Path harness = Path.of(System.getProperty("hyperops.dist")).resolve("src/test/resources/nixos/evaluate.nix");

        Installation.Result result = Installation.run(List.of("nix-instantiate", "--eval", "--strict", "--json", "--arg", "module", module.toString(), harness.toString()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("\"options\":[\"enable\",\"operatorGroup\",\"operators\",\"package\",\"settings\"]")
                .contains("\"ExecStart\":\"/nix/store/hyperops/bin/hyperops daemon\"")
                .contains("\"Type\":\"notify\"")
                .contains("\"WatchdogSec\":\"60s\"")
                .contains("\"ProtectSystem\":\"strict\"")
                .contains("\"wantedBy\":[\"multi-user.target\"]")
                .contains("\"members\":[\"alice\"]")
                .contains("\"operatorGroupDefault\":\"hypervisor-operator\"")
                // The generated config is checked by hyperops itself at build time.
                .contains("/nix/store/hyperops/bin/hyperops config check generated hyperops.json: {\\\"jobs\\\":{\\\"metrics\\\":{\\\"schedule\\\":\\\"hourly\\\"}}}");
    }
}
