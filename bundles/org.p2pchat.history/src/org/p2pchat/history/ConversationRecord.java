package org.p2pchat.history;

import java.util.Optional;

/**
 * A conversation kept in the history: everything said with one peer. A peer that proves its
 * identity has one conversation across sessions, restarts and methods (keyed by its identity key);
 * a peer that does not (the web app) gets a new one per session.
 *
 * @param id          the history's id for it (stable, safe in file names and command lines)
 * @param peerKey     the peer's identity key (base64url, as {@code PublicIdentity.key()}), or empty
 *                    for an unverified peer
 * @param peerName    the name the peer last announced
 * @param verified    whether the person marked the peer's key as verified (compared the safety number)
 * @param bestEffort  whether the peer's client does not acknowledge (the web app)
 * @param created     when it was first stored, milliseconds since the epoch
 */
public record ConversationRecord(String id, Optional<String> peerKey, String peerName, boolean verified,
        boolean bestEffort, long created) {
}
