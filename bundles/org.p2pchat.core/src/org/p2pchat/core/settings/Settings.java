package org.p2pchat.core.settings;

import java.util.List;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.SessionConfig;

/**
 * What the client itself keeps in one profile. Immutable; change with the {@code with...} methods
 * and save through {@link SettingsStore}. A plug-in's own settings (a connection provider's
 * services, the file transfer's trackers) are not here: each keeps them in its
 * {@link SettingsSection}.
 *
 * @param username        the name shown to peers; any text, no account
 * @param iceServers      STUN/TURN servers
 * @param maxMessageBytes largest chat message sent or accepted
 */
public record Settings(String username, List<IceServerEntry> iceServers, long maxMessageBytes) {

    private static final List<IceServerEntry> DEFAULT_ICE_SERVERS = List.of(
            new IceServerEntry("Google STUN", "stun:stun.l.google.com:19302", "", "", true, true),
            new IceServerEntry("Google STUN 2", "stun:stun1.l.google.com:19302", "", "", true, true));

    /** A field missing from the file (older version, hand edit) takes its default. */
    public Settings {
        username = username != null ? username : "";
        iceServers = iceServers != null ? withoutNulls(iceServers) : DEFAULT_ICE_SERVERS;
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
        return new Settings("", null, 0);
    }

    public Settings withUsername(String name) {
        return new Settings(name, iceServers, maxMessageBytes);
    }

    public Settings withIceServers(List<IceServerEntry> servers) {
        return new Settings(username, servers, maxMessageBytes);
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
