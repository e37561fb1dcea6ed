package org.p2pchat.core.signaling;

import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.PeerSession;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * A session negotiated through a directory service.
 *
 * @param session  the peer session (its chat channel opens by itself)
 * @param peer     who is on the other side, as the service lists it
 * @param local    the description we sent, with our proof
 * @param remote   the description we received, with the peer's proof if it sent one
 * @param identity the peer's identity if its proof verified; empty for the web app (unverified)
 */
public record DirectoryConnection(PeerSession session, DirectoryPeer peer, SignedDescription local,
        SignedDescription remote, Optional<PublicIdentity> identity) {

    public DirectoryConnection {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        identity = identity == null ? Optional.empty() : identity;
    }
}
