package org.p2pchat.core.signaling;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.IceServer;

/**
 * A started provider, serving one client until closed. Each method belongs to a
 * {@link ProviderCapability}; a provider implements those it declares, the defaults say it cannot.
 */
@ConsumerType
public interface ProviderLink extends AutoCloseable {

    /** Our current standing, one entry per place the provider works through (e.g. each service). */
    List<ProviderStatus> status();

    /**
     * {@link ProviderCapability#PEER_LIST}: the peers that can be reached now, ourselves excluded.
     * Fails with a {@link SignalingException} saying why when nothing could be asked.
     */
    default CompletableFuture<List<PeerAddress>> peers() {
        return CompletableFuture.failedFuture(new SignalingException("This connection method lists no peers."));
    }

    /**
     * {@link ProviderCapability#CONNECT}: the address a person typed or pasted (an id, a key),
     * for a peer that is not listed; empty if the text is no address here.
     */
    default Optional<PeerAddress> address(String text) {
        return Optional.empty();
    }

    /**
     * {@link ProviderCapability#CONNECT}: carries our signed offer to {@code to}; the exchange's
     * answer arrives later. {@code reconnect} marks it as re-establishing a lost connection, which
     * the peer's client may accept without asking (see {@link InboundOffer#reconnect()}).
     */
    default OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
        return OutboundExchange.failed(new SignalingException("This connection method cannot reach a peer by itself."));
    }

    /** {@link ProviderCapability#PASTE}: the text forms of descriptions a person carries. */
    default Optional<PasteCodec> paste() {
        return Optional.empty();
    }

    /** {@link ProviderCapability#ICE_SERVERS}: STUN/TURN servers every session should also use. */
    default List<IceServer> iceServers() {
        return List.of();
    }

    /**
     * What a person can do now to help this provider (e.g. start a service it needs on this
     * computer); empty when nothing. It may change with the provider's standing: the client asks
     * again when {@link ProviderCallback#statusChanged} is called.
     */
    default List<ProviderAction> actions() {
        return List.of();
    }

    /**
     * Does the action {@code actionId} of {@link #actions()}, in the background; completes with a
     * sentence for a person saying what happened, or fails with a {@link SignalingException}
     * saying what went wrong in words a person can act on.
     */
    default CompletableFuture<String> perform(String actionId) {
        return CompletableFuture.failedFuture(new SignalingException("This connection method offers no action '"
                + actionId + "'."));
    }

    /** Leaves the services where the API allows it and stops; idempotent. Sessions already made stay open. */
    @Override
    void close();
}
