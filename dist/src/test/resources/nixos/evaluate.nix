# Evaluates dist/nixos/hyperops.nix with a small stand-in for nixpkgs' lib and pkgs (no nixpkgs here),
# and returns what the module sets, as JSON, for TestNixosModule to check.
{ module }:
let
  lib = {
    mkEnableOption = description: { type = "bool"; inherit description; };
    mkOption = option: option;
    mkIf = condition: value: if condition then value else { };
    mkDefault = value: value;
    types = { package = "package"; str = "str"; listOf = element: "list of ${element}"; };
  };
  pkgs = {
    formats.json = _: { type = "json"; generate = name: value: "generated ${name}: ${builtins.toJSON value}"; };
    runCommand = name: _: script: "command ${name}: ${script}";
  };
  settings = { jobs.metrics.schedule = "hourly"; };
  config = {
    services.hyperops = {
      enable = true;
      package = "/nix/store/hyperops";
      inherit settings;
      operatorGroup = "hypervisor-operator";
      operators = [ "alice" ];
    };
  };
  evaluated = (import module) { inherit config lib pkgs; };
in
{
  options = builtins.attrNames evaluated.options.services.hyperops;
  service = evaluated.config.systemd.services.hyperops.serviceConfig;
  wantedBy = evaluated.config.systemd.services.hyperops.wantedBy;
  etc = evaluated.config.environment.etc."hypervisor/hyperops.json".source;
  members = evaluated.config.users.groups.hypervisor-operator.members;
  operatorGroupDefault = evaluated.config.services.hyperops.settings.engine.operator_group;
}
