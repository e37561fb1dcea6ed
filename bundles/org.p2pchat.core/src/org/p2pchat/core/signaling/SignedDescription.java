package org.p2pchat.core.signaling;

import java.util.Objects;
import java.util.Optional;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.IdentityProof;

/**
 * A session description as it travels between peers: with the sender's identity proof when the
 * sender is one of our clients, without one when it is the web app (then the peer is unverified).
 *
 * @param description the offer or answer
 * @param proof       the sender's identity proof, or {@code null}
 */
public record SignedDescription(SessionDescription description, IdentityProof proof) {

    public SignedDescription {
        Objects.requireNonNull(description, "description");
    }

    public static SignedDescription unsigned(SessionDescription description) {
        return new SignedDescription(description, null);
    }

    public Optional<IdentityProof> identityProof() {
        return Optional.ofNullable(proof);
    }
}
