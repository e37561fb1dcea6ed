package org.p2pchat.signaling.dht.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * A peer's offer that reached us through a service, waiting for the client layer. Answered or
 * rejected at most once; candidates the peer trickles meanwhile are kept until a sink is named.
 */
final class DhtInboundOffer implements InboundOffer {

    private enum State { PENDING, ANSWERED, REJECTED, WITHDRAWN }

    private final InboundOffers offers;
    final ServiceLink link;
    final RendezvousApi api;
    final PeerKey key;
    /** The sender as the service knows it. */
    final ServicePeer sender;
    private final PeerAddress from;
    private final SignedDescription offer;
    private final boolean reconnect;
    final CandidateBuffer candidates = new CandidateBuffer();
    private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);

    DhtInboundOffer(InboundOffers offers, ServiceLink link, RendezvousApi api, PeerKey key, ServicePeer sender,
            PeerAddress from, SignedDescription offer, boolean reconnect) {
        this.offers = offers;
        this.link = link;
        this.api = api;
        this.key = key;
        this.sender = sender;
        this.from = from;
        this.offer = offer;
        this.reconnect = reconnect;
    }

    @Override
    public PeerAddress from() {
        return from;
    }

    @Override
    public SignedDescription offer() {
        return offer;
    }

    @Override
    public boolean reconnect() {
        return reconnect;
    }

    @Override
    public void candidates(Consumer<IceCandidate> sink) {
        candidates.sink(sink);
    }

    @Override
    public CompletableFuture<Void> answer(SignedDescription answer) {
        Objects.requireNonNull(answer, "answer");
        if (!state.compareAndSet(State.PENDING, State.ANSWERED)) {
            return CompletableFuture.failedFuture(new SignalingException(switch (state.get()) {
                case ANSWERED -> "This request was already accepted.";
                case REJECTED -> "This request was already declined.";
                default -> sender.shown() + " withdrew the request, or it expired.";
            }));
        }
        return offers.answer(this, answer);
    }

    @Override
    public void reject(String reason) {
        if (state.compareAndSet(State.PENDING, State.REJECTED)) {
            offers.rejected(this, reason);
        }
    }

    /** Marks the offer gone unanswered; false if it was already answered or gone. */
    boolean withdraw() {
        return state.compareAndSet(State.PENDING, State.WITHDRAWN);
    }

    @Override
    public String toString() {
        return "offer from " + sender.shown() + " on " + link.service + " (" + api.name() + " API)"
                + (reconnect ? " (reconnect)" : "");
    }
}
