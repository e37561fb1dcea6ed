package org.p2pchat.core.signaling;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.p2pchat.core.PeerSessionListener;

/** Our presence on the directory services, from {@link DirectorySignalingProvider#join}. */
@ProviderType
public interface DirectoryMembership extends AutoCloseable {

    /** Our current state on each service. */
    List<ServiceStatus> services();

    /**
     * Fetches the peers the services list now, ourselves excluded, merged by id.
     * Fails with a {@link SignalingException} only if no service answered.
     */
    CompletableFuture<List<DirectoryPeer>> peers();

    /**
     * Connects to a peer: creates a session, sends our signed offer through the peer's service and
     * completes once the peer's answer is verified and accepted (the chat channel opens shortly
     * after; {@code listener} is attached before anything can arrive). Fails with a
     * {@link SignalingException} saying why: rejected, no answer in time, a bad or forged answer.
     */
    CompletableFuture<DirectoryConnection> connect(DirectoryPeer peer, PeerSessionListener listener);

    /**
     * Connects again to the peer of a lost connection, as a reconnect request the other side may
     * accept without asking its user (see {@link IncomingRequest#reconnect()}).
     */
    CompletableFuture<DirectoryConnection> reconnect(DirectoryConnection previous, PeerSessionListener listener);

    /** Unregisters where the API allows it and stops polling; idempotent. Open sessions stay open. */
    @Override
    void close();
}
