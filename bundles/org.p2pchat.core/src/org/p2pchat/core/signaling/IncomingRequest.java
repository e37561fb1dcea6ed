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

    /** Whether this re-establishes a connection that was lost (reconnect offer). */
    boolean reconnect();

    /** Answers the offer; completes when our answer is sent. */
    CompletableFuture<DirectoryConnection> accept(PeerSessionListener listener);

    /** Declines; the requester is told where the API allows it. */
    void reject();
}
