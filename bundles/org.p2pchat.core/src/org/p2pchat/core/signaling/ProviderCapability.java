package org.p2pchat.core.signaling;

/** What a {@link ConnectionProvider} can do; each names the part of {@link ProviderLink} it implements. */
public enum ProviderCapability {

    /** Descriptions travel as text a person carries (copy and paste): {@link ProviderLink#paste()}. */
    PASTE,
    /** Lists peers a person can pick from: {@link ProviderLink#peers()}. */
    PEER_LIST,
    /** Carries our offer to a peer address and its answer back: {@link ProviderLink#send}. */
    CONNECT,
    /** Peers can ask us to connect: offers arrive through {@link ProviderCallback#offered}. */
    INCOMING,
    /** Finds peers without any server (the local network); {@link ProviderCallback#peersChanged} tells of changes. */
    SERVERLESS,
    /** Supplies STUN/TURN servers for every session: {@link ProviderLink#iceServers()}. */
    ICE_SERVERS
}
