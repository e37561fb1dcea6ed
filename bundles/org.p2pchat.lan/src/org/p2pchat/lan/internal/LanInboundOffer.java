package org.p2pchat.lan.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.InboundOffer;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * An offer that came over a TCP connection to our announced address; the connection stays open
 * until we answer or decline, the requester gives up (closes it), or the patience runs out.
 */
final class LanInboundOffer implements InboundOffer {

    private final Socket socket;
    private final PeerAddress from;
    private final SignedDescription offer;
    private final boolean reconnect;
    private final PublicIdentity self;
    private final String selfName;
    private final AtomicBoolean finished = new AtomicBoolean();

    LanInboundOffer(Socket socket, PeerAddress from, OfferWire wire, PublicIdentity self, String selfName) {
        this.socket = socket;
        this.from = from;
        this.offer = wire.description();
        this.reconnect = wire.reconnect();
        this.self = self;
        this.selfName = selfName;
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
    public void candidates(Consumer<IceCandidate> sink) { // descriptions carry their candidates
    }

    @Override
    public CompletableFuture<Void> answer(SignedDescription answer) {
        return reply(OfferWire.answer(self, selfName, answer));
    }

    @Override
    public void reject(String reason) {
        reply(OfferWire.reject(reason));
    }

    private CompletableFuture<Void> reply(OfferWire wire) {
        if (!finished.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new org.p2pchat.core.signaling.SignalingException(
                    from.shown() + " is no longer waiting for an answer."));
        }
        try (socket) {
            wire.write(socket.getOutputStream());
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new org.p2pchat.core.signaling.SignalingException(
                    "Cannot answer " + from.shown() + ": " + e.getMessage(), e));
        }
    }

    /**
     * Waits until the requester closes the connection or it times out; returns whether that ended
     * the offer unanswered (then it is withdrawn).
     */
    boolean awaitEnd(InputStream in) {
        try {
            while (in.read() >= 0) { // nothing more is expected: skip whatever comes
            }
        } catch (IOException e) { // timed out, or closed by our answer
        }
        boolean unanswered = finished.compareAndSet(false, true);
        try {
            socket.close();
        } catch (IOException e) {
        }
        return unanswered;
    }
}
