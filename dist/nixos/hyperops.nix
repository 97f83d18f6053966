# NixOS module for hyperops. The hosts hyperops replaces scripts on run NixOS: this module renders the
# JSON config from Nix options and runs the daemon like the .deb's unit does.
#
#   imports = [ ./dist/nixos/hyperops.nix ];
#   services.hyperops = {
#     enable = true;
#     package = pkgs.callPackage ./hyperops-package.nix { };   # the tarball from `mvn package`
#     settings.jobs.metrics.schedule = "hourly";
#     operators = [ "alice" ];
#   };
{ config, lib, pkgs, ... }:

let
  cfg = config.services.hyperops;
  json = pkgs.formats.json { };
  configFile = json.generate "hyperops.json" cfg.settings;
in
{
  options.services.hyperops = {
    enable = lib.mkEnableOption "hyperops, the operations engine of this hypervisor host";

    package = lib.mkOption {
      type = lib.types.package;
      description = "The hyperops installation tree (bin/hyperops, lib/).";
    };

    settings = lib.mkOption {
      type = json.type;
      default = { };
      example = {
        engine.libvirt_uri = "qemu:///system";
        jobs.backup = { schedule = "02:00"; jitter = "30min"; catch_up = true; };
      };
      description = ''
        The config file's content, as in /etc/hypervisor/hyperops.json (reference: docs/configuration.md).
        It is checked with `hyperops config check` at build time, so an invalid one fails the rebuild.
      '';
    };

    operatorGroup = lib.mkOption {
      type = lib.types.str;
      default = "hypervisor-operator";
      description = "Group whose members may read everything and run operator-allowed jobs.";
    };

    operators = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      description = "Users added to the operator group.";
    };
  };

  config = lib.mkIf cfg.enable {
    services.hyperops.settings.engine.operator_group = lib.mkDefault cfg.operatorGroup;

    users.groups.${cfg.operatorGroup}.members = cfg.operators;

    environment.systemPackages = [ cfg.package ];
    environment.etc."hypervisor/hyperops.json".source = pkgs.runCommand "hyperops-checked.json" { } ''
      ${cfg.package}/bin/hyperops config check ${configFile}
      cp ${configFile} $out
    '';

    systemd.tmpfiles.rules = [
      "d /var/lib/hypervisor 0755 root root -"
      "d /var/lib/hypervisor/hyperops 0750 root ${cfg.operatorGroup} -"
      "d /var/lib/hypervisor/logs 0750 root ${cfg.operatorGroup} -"
    ];

    systemd.services.hyperops = {
      description = "hyperops operations engine";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" "libvirtd.service" ];
      wants = [ "network-online.target" ];
      restartTriggers = [ configFile ];
      serviceConfig = {
        Type = "notify";
        NotifyAccess = "main";
        ExecStart = "${cfg.package}/bin/hyperops daemon";
        ExecReload = "${cfg.package}/bin/hyperops config reload";
        Restart = "on-failure";
        RestartSec = "5s";
        WatchdogSec = "60s";
        TimeoutStopSec = "60s";
        KillMode = "mixed";
        RuntimeDirectory = "hyperops";
        RuntimeDirectoryMode = "0750";
        # No UMask: health and metrics files are for other readers; state and logs are fenced by their folders.
        ProtectSystem = "strict";
        # '-': a missing path would stop the unit from starting (226/NAMESPACE); the data folder is
        # created by tmpfiles above, so it stays required.
        ReadWritePaths = [ "/var/lib/hypervisor" "-/etc/hypervisor" "-/etc/systemd/network" "-/run/libvirt" "-/var/lib/libvirt" "-/var/log/libvirt" ];
        ProtectHome = "read-only";
        PrivateTmp = true;
        NoNewPrivileges = true;
        RestrictSUIDSGID = true;
        ProtectKernelModules = true;
        ProtectControlGroups = true;
        RestrictRealtime = true;
        LockPersonality = true;
        ProtectClock = true;
        ProtectHostname = true;
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        MemoryHigh = "384M";
        MemoryMax = "512M";
        Nice = 5;
      };
    };
  };
}
