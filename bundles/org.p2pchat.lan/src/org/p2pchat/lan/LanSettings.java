package org.p2pchat.lan;

import java.util.List;

/**
 * The settings section {@value #SECTION} of the local network provider. Every member has a
 * default, so an empty section (or none) announces on every multicast interface.
 *
 * @param listenOnly  do not announce ourselves: others do not list us (and cannot ask us to
 *                    connect), but we still list them and can ask them
 * @param group       the IPv4 multicast group announcements go to; empty: {@value #DEFAULT_GROUP}
 * @param port        the UDP port of the group; 0: {@value #DEFAULT_PORT}
 * @param interfaces  the IPv4 addresses of the interfaces to announce and listen on; empty: every
 *                    interface that is up, not loopback and supports multicast
 */
public record LanSettings(boolean listenOnly, String group, int port, List<String> interfaces) {

    /** The provider's id, which is also the name of its settings section. */
    public static final String SECTION = "lan";
    /** Administratively scoped (RFC 2365), so routers keep it inside the site. */
    public static final String DEFAULT_GROUP = "239.255.42.99";
    public static final int DEFAULT_PORT = 47321;

    public LanSettings {
        group = group == null || group.isBlank() ? DEFAULT_GROUP : group.strip();
        port = port == 0 ? DEFAULT_PORT : port;
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a UDP port: " + port);
        }
        // A literal only, never a name to look up; 224.0.0.0/4 is IPv4's multicast range.
        if (!group.matches("(22[4-9]|23[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}")) {
            throw new IllegalArgumentException("not an IPv4 multicast group: " + group);
        }
    }

    /** Announcing on every multicast interface at the default group and port. */
    public static LanSettings defaults() {
        return new LanSettings(false, null, 0, null);
    }

    public LanSettings withListenOnly(boolean value) {
        return new LanSettings(value, group, port, interfaces);
    }
}
