package org.p2pchat.core.signaling;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;
import org.p2pchat.core.IceCandidate;

/** A peer's offer that a provider received for us (through {@link ProviderCallback#offered}). */
@ConsumerType
public interface InboundOffer {

    /** Who asks, as the provider knows them. */
    PeerAddress from();

    /** The offer, with the sender's proof if it sent one (not checked yet: the client layer checks it). */
    SignedDescription offer();

    /**
     * Whether the sender says this re-establishes a connection that was lost. Anyone can say so:
     * the client layer accepts it without asking only when it continues a conversation (same
     * address, proof by the key verified in that conversation).
     */
    boolean reconnect();

    /** Where the candidates the peer trickles go; those that came before are handed over first. */
    void candidates(Consumer<IceCandidate> sink);

    /** Sends our answer; completes once it is on its way. */
    CompletableFuture<Void> answer(SignedDescription answer);

    /**
     * Declines. Where the provider can, the requester is told, with {@code reason} if given (why its
     * offer was refused, e.g. a failed proof); {@code null} for a plain decline.
     */
    void reject(String reason);
}
