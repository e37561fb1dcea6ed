package org.p2pchat.core.settings;

import java.util.List;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.SessionConfig;

/**
 * Everything a user sets in one profile. Immutable; change with the {@code with...} methods and
 * save through {@link SettingsStore}.
 *
 * @param username           the name shown to peers; any text, no account
 * @param iceServers         STUN/TURN servers
 * @param rendezvousServices rendezvous ("DHT") services
 * @param trackers           BitTorrent trackers
 * @param maxMessageBytes    largest chat message sent or accepted
 */
public record Settings(String username, List<IceServerEntry> iceServers, List<ServiceEntry> rendezvousServices,
        List<ServiceEntry> trackers, long maxMessageBytes) {

    private static final List<IceServerEntry> DEFAULT_ICE_SERVERS = List.of(
            new IceServerEntry("Google STUN", "stun:stun.l.google.com:19302", "", "", true, true),
            new IceServerEntry("Google STUN 2", "stun:stun1.l.google.com:19302", "", "", true, true));
    private static final List<ServiceEntry> DEFAULT_RENDEZVOUS = List.of(
            new ServiceEntry("Local rendezvous", "http://localhost:3479", true, true));
    private static final List<ServiceEntry> DEFAULT_TRACKERS = List.of(
            new ServiceEntry("OpenWebTorrent", "wss://tracker.openwebtorrent.com", false, true),
            new ServiceEntry("WebTorrent.dev", "wss://tracker.webtorrent.dev", false, true));

    /** A field missing from the file (older version, hand edit) takes its default. */
    public Settings {
        username = username != null ? username : "";
        iceServers = iceServers != null ? withoutNulls(iceServers) : DEFAULT_ICE_SERVERS;
        rendezvousServices = rendezvousServices != null ? withoutNulls(rendezvousServices) : DEFAULT_RENDEZVOUS;
        trackers = trackers != null ? withoutNulls(trackers) : DEFAULT_TRACKERS;
        maxMessageBytes = maxMessageBytes > 0 ? maxMessageBytes : SessionConfig.DEFAULT_MAX_MESSAGE_BYTES;
    }

    /** A hand-edited file may hold {@code null} entries; they mean nothing. */
    private static <T> List<T> withoutNulls(List<T> list) {
        return list.stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * What a new profile starts with. Public servers are fine as user defaults; tests always set
     * their own.
     */
    public static Settings defaults() {
        return new Settings("", null, null, null, 0);
    }

    public Settings withUsername(String name) {
        return new Settings(name, iceServers, rendezvousServices, trackers, maxMessageBytes);
    }

    public Settings withIceServers(List<IceServerEntry> servers) {
        return new Settings(username, servers, rendezvousServices, trackers, maxMessageBytes);
    }

    public Settings withRendezvousServices(List<ServiceEntry> services) {
        return new Settings(username, iceServers, services, trackers, maxMessageBytes);
    }

    public Settings withTrackers(List<ServiceEntry> list) {
        return new Settings(username, iceServers, rendezvousServices, list, maxMessageBytes);
    }

    /** The enabled, valid ICE servers, ready for a session. */
    public List<IceServer> enabledIceServers() {
        return iceServers.stream().filter(IceServerEntry::enabled).filter(e -> e.problem().isEmpty())
                .map(IceServerEntry::toIceServer).toList();
    }

    public SessionConfig sessionConfig() {
        return new SessionConfig(enabledIceServers(), username.isBlank() ? null : username, maxMessageBytes);
    }
}
