package io.hyperops.task.update;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.hyperops.spi.Description;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One entry of the update job's {@code providers} list: {@code {"type": "git", "repository": "/etc/hypervisor"}}.
 * The {@code type} picks the record; its other keys are that record's, and an unknown key is an error.
 */
// "type" is written by type() itself, not as a type id: a list of providers serialized without its
// declared element type (the config reference's defaults) must still say which provider each one is.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type")
@JsonPropertyOrder({"type", "name"})
@JsonSubTypes({
        @JsonSubTypes.Type(value = ProviderSettings.Git.class, name = "git"),
        @JsonSubTypes.Type(value = ProviderSettings.Command.class, name = "command"),
        @JsonSubTypes.Type(value = ProviderSettings.Nixos.class, name = "nixos"),
        @JsonSubTypes.Type(value = ProviderSettings.Apt.class, name = "apt")})
public sealed interface ProviderSettings
{
    /** Unique among the host's providers; names the provider in status, history and audit. */
    String name();

    @JsonProperty("type")
    String type();

    @Description("The git config repository: fetch, list incoming commits, fast-forward only, roll back to the previous commit.")
    record Git(
            @Description("Provider name. Default git.")
            String name,
            @Description("The repository. Default /etc/hypervisor.")
            Path repository,
            @Description("The remote. Default origin.")
            String remote,
            @Description("The branch to follow. Default: main when the remote has it, else master (as the seed).")
            String branch,
            @Description("Time-out of each git command. Default 2min.")
            Duration timeout)
            implements ProviderSettings
    {
        public Git
        {
            name = name == null ? "git" : name;
            repository = repository == null ? Path.of("/etc/hypervisor") : repository;
            remote = remote == null ? "origin" : remote;
            timeout = positive(name, timeout, Duration.ofMinutes(2));
        }

        @Override
        public String type()
        {
            return "git";
        }
    }

    @Description("Operator's commands (argument lists, no shell): check exits 0 when updates are available and 1 when none; apply; rollback.")
    record Command(
            @Description("Provider name, required when there are several command providers. Default command.")
            String name,
            @Description("Check command: exit 0 means updates are available, 1 none, anything else is a failed check. Empty: applied with every update of the other providers.")
            List<String> check,
            @Description("Apply command (required).")
            List<String> apply,
            @Description("Rollback command. Empty: this provider cannot be rolled back, and a rollback reports so.")
            List<String> rollback,
            @Description("Working folder of the commands. Default /.")
            Path directory,
            @Description("Time-out of each command. Default 30min.")
            Duration timeout,
            @Description("Whether an apply command that fails or times out is rolled back with the rest, by the rollback command: set it only when that command copes with an apply stopped anywhere. Default false: what a failed apply changed is left for a person, and the update says so.")
            Boolean rollbackFailedApply)
            implements ProviderSettings
    {
        public Command
        {
            rollbackFailedApply = rollbackFailedApply != null && rollbackFailedApply;
            if (rollbackFailedApply && (rollback == null || rollback.isEmpty())) {
                throw new IllegalArgumentException("provider '" + (name == null ? "command" : name) + "' (command): 'rollback_failed_apply' needs a 'rollback' command");
            }
            name = name == null ? "command" : name;
            check = List.copyOf(check == null ? List.of() : check);
            if (apply == null || apply.isEmpty()) {
                throw new IllegalArgumentException("provider '" + name + "' (command): 'apply' is required, e.g. [\"/usr/local/sbin/site-update\"]");
            }
            apply = List.copyOf(apply);
            rollback = List.copyOf(rollback == null ? List.of() : rollback);
            directory = directory == null ? Path.of("/") : directory;
            timeout = positive(name, timeout, Duration.ofMinutes(30));
        }

        @Override
        public String type()
        {
            return "command";
        }
    }

    @Description("The NixOS system: nixos-rebuild dry-build, switch, switch --rollback.")
    record Nixos(
            @Description("Provider name. Default nixos.")
            String name,
            @Description("The flake, as the seed's. Default /etc/hypervisor; empty: no --flake (configuration.nix).")
            String flake,
            @Description("The flake's host (nixosConfigurations name). Default: none, nixos-rebuild then uses the host name.")
            String host,
            @Description("The nixos-rebuild program. Default nixos-rebuild (from PATH).")
            String nixosRebuild,
            @Description("Time-out of each nixos-rebuild. Default 1h.")
            Duration timeout)
            implements ProviderSettings
    {
        public Nixos
        {
            name = name == null ? "nixos" : name;
            flake = flake == null ? "/etc/hypervisor" : flake;
            nixosRebuild = nixosRebuild == null ? "nixos-rebuild" : nixosRebuild;
            timeout = positive(name, timeout, Duration.ofHours(1));
        }

        @Override
        public String type()
        {
            return "nixos";
        }
    }

    @Description("Debian packages: apt-get update, simulated upgrade, upgrade; rollback installs and holds the previous versions where the archive still has them.")
    record Apt(
            @Description("Provider name. Default apt.")
            String name,
            @Description("Extra apt options, each given as -o to every apt-get and apt-cache call, e.g. [\"Dir::Etc::sourcelist=/etc/apt/hyperops.list\"]. Dir::Bin::dpkg and DPkg::Options also choose the dpkg, and its options, of the dpkg --configure -a that finishes an interrupted dpkg.")
            List<String> options,
            @Description("The apt-get program. Default apt-get.")
            String aptGet,
            @Description("The apt-cache program. Default apt-cache.")
            String aptCache,
            @Description("The apt-mark program. Default apt-mark.")
            String aptMark,
            @Description("Time-out of each apt command. Default 1h.")
            Duration timeout,
            @Description("How long apt waits for another apt or dpkg (unattended-upgrades, an admin) to release dpkg's lock before it fails (apt's DPkg::Lock::Timeout); within the time-out. Default 10min.")
            Duration lockWait)
            implements ProviderSettings
    {
        public Apt
        {
            lockWait = lockWait == null ? Duration.ofMinutes(10) : lockWait;
            if (lockWait.isNegative()) {
                throw new IllegalArgumentException("provider '" + (name == null ? "apt" : name) + "': lock_wait must not be negative, was " + lockWait);
            }
            name = name == null ? "apt" : name;
            options = List.copyOf(options == null ? List.of() : options);
            aptGet = aptGet == null ? "apt-get" : aptGet;
            aptCache = aptCache == null ? "apt-cache" : aptCache;
            aptMark = aptMark == null ? "apt-mark" : aptMark;
            timeout = positive(name, timeout, Duration.ofHours(1));
        }

        @Override
        public String type()
        {
            return "apt";
        }
    }

    private static Duration positive(String provider, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException("provider '" + provider + "': timeout must be longer than zero, was " + result);
        }
        return result;
    }
}
