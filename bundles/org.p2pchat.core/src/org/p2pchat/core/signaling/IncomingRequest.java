package org.p2pchat.core.signaling;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.identity.PublicIdentity;

/** Someone wants to connect to us through a directory service; the user accepts or rejects. */
@ProviderType
public interface IncomingRequest {

    /** Who asks, as the service knows them. */
    DirectoryPeer from();

    /** The requester's identity if its offer carried a valid proof; empty if unverified (web app). */
    Optional<PublicIdentity> identity();

    /**
     * Whether the sender says this re-establishes a connection that was lost (a reconnect offer).
     * Anyone can say so: {@link #continues} decides whether it may be accepted without asking.
     */
    boolean reconnect();

    /**
     * Whether this request continues {@code conversation}, so that a client may accept it without
     * asking its user: a reconnect request from the same peer on the same service and API, whose
     * proof names the identity verified in that conversation. Anything else (no proof, another
     * key, the other API of the service, an unverified conversation) is a new request the user
     * answers, and the conversation goes on untouched.
     */
    default boolean continues(DirectoryConnection conversation) {
        if (!reconnect() || conversation == null || conversation.identity().isEmpty()) {
            return false;
        }
        DirectoryPeer peer = conversation.peer();
        DirectoryPeer asking = from();
        return asking.service().equals(peer.service()) && asking.authenticated() == peer.authenticated()
                && asking.id().equals(peer.id()) && identity().equals(conversation.identity());
    }

    /** Answers the offer; completes when our answer is sent. */
    CompletableFuture<DirectoryConnection> accept(PeerSessionListener listener);

    /** Declines; the requester is told where the API allows it. */
    void reject();
}
