package org.p2pchat.signaling.dht.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAnswer;

/** Our offer on its way through a service: the answer to come, and the candidates the peer trickles meanwhile. */
final class DhtOutboundExchange implements OutboundExchange {

    private final CompletableFuture<PeerAnswer> answer = new CompletableFuture<>();
    final CandidateBuffer candidates = new CandidateBuffer();

    @Override
    public CompletableFuture<PeerAnswer> answer() {
        return answer;
    }

    @Override
    public void candidates(Consumer<IceCandidate> sink) {
        candidates.sink(sink);
    }
}
