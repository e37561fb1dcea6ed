package org.p2pchat.core;

import java.util.List;

/**
 * What a new {@link PeerSession} needs to know.
 *
 * @param iceServers      STUN/TURN servers to gather candidates from; empty for host candidates only
 * @param displayName     our name; the session announces it in the web app's join notice when the
 *                        chat channel opens, or sends no notice if {@code null}
 * @param maxMessageBytes the largest chat message accepted in either direction
 */
public record SessionConfig(List<IceServer> iceServers, String displayName, long maxMessageBytes) {

    /** 64 MiB: large pastes go through, a hostile peer cannot make us buffer gigabytes. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 64L << 20;

    public SessionConfig {
        iceServers = List.copyOf(iceServers);
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
    }

    public static SessionConfig of(List<IceServer> iceServers, String displayName) {
        return new SessionConfig(iceServers, displayName, DEFAULT_MAX_MESSAGE_BYTES);
    }
}
