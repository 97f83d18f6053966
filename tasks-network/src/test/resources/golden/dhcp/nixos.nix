{
  networking.bridges."br0".interfaces = [ "eno1" ];
  networking.interfaces."eno1".mtu = 1500;
  networking.interfaces."br0".mtu = 1500;
  networking.interfaces."br0".useDHCP = true;
}
