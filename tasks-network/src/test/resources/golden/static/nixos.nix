{
  networking.bridges."br0".interfaces = [ "eno1" ];
  networking.interfaces."eno1".mtu = 9000;
  networking.interfaces."br0".mtu = 9000;
  networking.interfaces."br0".ipv4.addresses = [ { address = "192.168.1.20"; prefixLength = 24; } ];
  networking.defaultGateway = "192.168.1.1";
}
