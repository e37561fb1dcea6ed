package org.p2pchat.lan.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * An interface the provider works on, with its IPv4 address: announcements go out there and offers
 * are taken there, never on any other interface.
 *
 * @param nif     the interface
 * @param address its IPv4 address we announce and bind to
 * @param prefix  the length of its network prefix, to pick it for a peer on the same network
 */
record Endpoint(NetworkInterface nif, InetAddress address, int prefix) {

    private static final String IPV4_LITERAL = "[0-9]{1,3}(\\.[0-9]{1,3}){3}";

    /**
     * The interfaces with the given addresses (IPv4 literals; never looked up by name), or, if none
     * are given, every interface that is up, supports multicast and is not loopback, by its first
     * IPv4 address.
     *
     * @throws IOException naming an address no interface has
     */
    static List<Endpoint> resolve(List<String> addresses) throws IOException {
        List<Endpoint> endpoints = new ArrayList<>();
        if (!addresses.isEmpty()) {
            for (String text : addresses) {
                String literal = text.strip();
                if (!literal.matches(IPV4_LITERAL)) {
                    throw new IOException("'" + text + "' is not an IPv4 address");
                }
                InetAddress address = InetAddress.getByName(literal);
                NetworkInterface nif = NetworkInterface.getByInetAddress(address);
                if (nif == null) {
                    throw new IOException("No network interface has the address " + literal + ".");
                }
                endpoints.add(new Endpoint(nif, address, prefix(nif, address)));
            }
            return endpoints;
        }
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast()) {
                nif.getInterfaceAddresses().stream().filter(a -> a.getAddress() instanceof Inet4Address).findFirst()
                        .ifPresent(a -> endpoints.add(new Endpoint(nif, a.getAddress(), a.getNetworkPrefixLength())));
            }
        }
        return endpoints;
    }

    private static int prefix(NetworkInterface nif, InetAddress address) {
        return nif.getInterfaceAddresses().stream().filter(a -> a.getAddress().equals(address))
                .mapToInt(InterfaceAddress::getNetworkPrefixLength).findFirst().orElse(32);
    }

    /** Whether {@code other} is on this interface's network. */
    boolean reaches(InetAddress other) {
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + " (" + nif.getName() + ")";
    }

}
