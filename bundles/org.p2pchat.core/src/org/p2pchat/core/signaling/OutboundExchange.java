package org.p2pchat.core.signaling;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.IceCandidate;

/** Our offer on its way to a peer through a provider (from {@link ProviderLink#send}). */
@ConsumerType
public interface OutboundExchange {

    /**
     * Completes with the peer's answer, or fails with a {@link SignalingException} saying why
     * (declined, no answer in time, not reachable). Cancelling it withdraws the offer where the
     * provider can, so the peer's client stops showing it.
     */
    CompletableFuture<PeerAnswer> answer();

    /**
     * Where the candidates the peer trickles go (the web app sends some apart from its
     * description): those that came before are handed over first, in order.
     */
    void candidates(Consumer<IceCandidate> sink);

    /** An exchange that has already failed. */
    static OutboundExchange failed(Throwable why) {
        return new OutboundExchange() {
            @Override
            public CompletableFuture<PeerAnswer> answer() {
                return CompletableFuture.failedFuture(why);
            }

            @Override
            public void candidates(Consumer<IceCandidate> sink) {
            }
        };
    }
}
