package org.p2pchat.ui.internal.parts;

import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DirectoryConnection;

/**
 * Who is on the other end of one session, as far as the client knows.
 *
 * @param peer   the peer's identity if its description carried a proof that held; empty for an
 *               unverified peer (the web app sends no proof)
 * @param local  the description we sent
 * @param remote the description we received; with {@code local} it yields the safety number
 */
record Verification(Optional<PublicIdentity> peer, SessionDescription local, SessionDescription remote) {

    Verification {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    static Verification of(DirectoryConnection connection) {
        return new Verification(connection.identity(), connection.local().description(),
                connection.remote().description());
    }
}
