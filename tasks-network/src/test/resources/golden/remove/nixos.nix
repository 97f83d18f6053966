{
  # delete networking.bridges."br0" and networking.interfaces."br0" from the configuration
  # and give networking.interfaces."eno1" the bridge's addresses
}
