package io.hyperops.task.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Literal IP addresses and CIDR prefixes, parsed without ever asking DNS. */
final class IpAddresses
{
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpAddresses() {}

    /** The address when the text is an IPv4 or IPv6 literal; a host name gives empty, never a lookup. */
    static Optional<InetAddress> literal(String text)
    {
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        }
        catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** True for {@code ADDRESS/PREFIX} with a prefix that fits the address family. */
    static boolean isCidr(String text)
    {
        return prefixLength(text).isPresent();
    }

    static Optional<Integer> prefixLength(String cidr)
    {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        Optional<InetAddress> address = literal(cidr.substring(0, slash));
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        return address.filter(value -> prefix >= 1 && prefix <= value.getAddress().length * 8).map(value -> prefix);
    }

    static String address(String cidr)
    {
        return cidr.substring(0, cidr.indexOf('/'));
    }

    /** True when {@code address} lies in the network of {@code cidr} (same family, same leading prefix bits). */
    static boolean inNetwork(String address, String cidr)
    {
        Optional<InetAddress> host = literal(address);
        Optional<InetAddress> network = literal(address(cidr));
        Optional<Integer> prefix = prefixLength(cidr);
        if (host.isEmpty() || network.isEmpty() || prefix.isEmpty() || host.get().getAddress().length != network.get().getAddress().length) {
            return false;
        }
        int bits = host.get().getAddress().length * 8;
        BigInteger shift = BigInteger.ONE.shiftLeft(bits - prefix.get());
        return new BigInteger(1, host.get().getAddress()).divide(shift).equals(new BigInteger(1, network.get().getAddress()).divide(shift));
    }
}
