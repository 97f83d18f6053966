{
  networking.interfaces."eno1".mtu = 9000;
  networking.interfaces."br0".mtu = 9000;
}
