package org.p2pchat.client.core;

/**
 * Whether the person checked who holds the peer's identity key, as Signal shows it. A signed key
 * proves only that this connection belongs to that key (its proof binds the connection's DTLS
 * fingerprints to it); who holds the key is known once two people compared their safety number
 * over another channel and one marked the contact verified.
 */
public enum Verification {

    /** The peer proves no identity key (the web app), or its proof is not checked yet: nothing to compare. */
    UNSIGNED,

    /** A signed key the person has not marked verified: compare the safety number. Not a warning. */
    NOT_VERIFIED,

    /** The person compared the safety number and marked this key verified; kept across restarts. */
    VERIFIED,

    /**
     * A contact known by this name now presents another key (a reinstall, or someone else): any mark
     * was cleared. Shown loudly until the person marks the new key verified or accepts it unverified.
     */
    KEY_CHANGED
}
