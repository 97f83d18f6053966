package io.hyperops.task.network;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A change an operator asks for; validated against the host before anything is planned. */
public sealed interface NetworkChange
{
    /** The interface the change is about: the new or removed bridge, or the interface whose MTU changes. */
    String target();

    /** Short form for logs and the audit trail: {@code bridge create br0 over eno1 (mtu 9000)}. */
    String summary();

    /**
     * @param mtu the requested MTU as given: {@code standard}, {@code performance} or a number
     */
    record BridgeCreate(String iface, String bridge, String mtu, Addressing addressing)
            implements NetworkChange
    {
        public BridgeCreate
        {
            requireNonNull(iface, "iface is null");
            requireNonNull(bridge, "bridge is null");
            requireNonNull(mtu, "mtu is null");
            requireNonNull(addressing, "addressing is null");
        }

        @Override
        public String target()
        {
            return bridge;
        }

        @Override
        public String summary()
        {
            return "bridge create " + bridge + " over " + iface + " (mtu " + mtu + ", " + addressing.summary() + ")";
        }
    }

    record BridgeRemove(String bridge)
            implements NetworkChange
    {
        public BridgeRemove
        {
            requireNonNull(bridge, "bridge is null");
        }

        @Override
        public String target()
        {
            return bridge;
        }

        @Override
        public String summary()
        {
            return "bridge remove " + bridge;
        }
    }

    record MtuSet(String iface, String mtu)
            implements NetworkChange
    {
        public MtuSet
        {
            requireNonNull(iface, "iface is null");
            requireNonNull(mtu, "mtu is null");
        }

        @Override
        public String target()
        {
            return iface;
        }

        @Override
        public String summary()
        {
            return "mtu set " + iface + " " + mtu;
        }
    }

    /** How the new bridge gets its address: DHCP, or a static address with an optional gateway. */
    record Addressing(Optional<String> address, Optional<String> gateway)
    {
        public Addressing
        {
            requireNonNull(address, "address is null");
            requireNonNull(gateway, "gateway is null");
        }

        public static Addressing dhcp()
        {
            return new Addressing(Optional.empty(), Optional.empty());
        }

        public boolean isDhcp()
        {
            return address.isEmpty();
        }

        String summary()
        {
            return address.map(cidr -> "address " + cidr + gateway.map(via -> " via " + via).orElse("")).orElse("dhcp");
        }
    }
}
