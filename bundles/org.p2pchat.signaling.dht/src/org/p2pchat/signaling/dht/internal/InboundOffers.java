package org.p2pchat.signaling.dht.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import com.google.gson.JsonObject;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Peers' offers to us: read, checked for what the transport needs (a description we can use,
 * with a DTLS fingerprint), told once however often a service delivers them, handed to the
 * client layer, and withdrawn when their sender gives up or they expire. Their identity proofs
 * are the client layer's to check.
 */
final class InboundOffers {

    private static final int REMEMBERED_OFFERS = 256;

    private final DhtLink owner;
    private final Map<PeerKey, DhtInboundOffer> pending = new ConcurrentHashMap<>();
    /** Offers seen lately, so one delivered twice (a request sent again after a lost reply) is told once. */
    private final Map<String, Boolean> recentOffers = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_OFFERS;
        }
    };

    InboundOffers(DhtLink owner) {
        this.owner = owner;
    }

    void offered(ServiceLink link, RendezvousApi api, Signal signal) {
        if (owner.isClosed()) {
            return;
        }
        PeerKey key = new PeerKey(link, api, signal.from());
        if (signal.from().equals(api.ourId())) {
            owner.ignore(link, signal, "an offer from our own id");
            return;
        }
        if (!firstDelivery(key, signal.payload())) {
            owner.ignore(link, signal, "the same offer arrived before");
            return;
        }
        ServicePeer sender = new ServicePeer(signal.from(), signal.fromName(), link.service, api.authenticated(),
                signal.timestamp() > 0 ? Instant.ofEpochMilli(signal.timestamp()) : null);
        PeerAddress from = sender.toAddress();
        if (from == null) {
            owner.ignore(link, signal, "the sender's id on the authenticated API is no identity key");
            return;
        }
        SignedDescription offer;
        try {
            try {
                offer = DescriptionJson.decode(signal.payload(), SessionDescription.Type.OFFER);
            } catch (SignalingException e) {
                throw new SignalingException("your offer arrived unreadable: " + e.getMessage(), e);
            }
            if (DtlsFingerprints.of(offer.description().sdp()).isEmpty()) {
                throw new SignalingException("your offer has no DTLS fingerprint, so the connection would not be encrypted");
            }
        } catch (SignalingException e) {
            owner.ignore(link, signal, e.getMessage());
            // Where the API carries a reject, the service vouches for the sender: telling it why
            // cannot be turned against a third party.
            refuse(link, api, signal.from(), e.getMessage());
            return;
        }
        boolean reconnect = signal.type().equals(Signal.RECONNECT_OFFER);
        DhtInboundOffer request = new DhtInboundOffer(this, link, api, key, sender, from, offer, reconnect);
        DhtInboundOffer previous = pending.put(key, request);
        if (previous != null && previous.withdraw()) {
            owner.deliver(() -> owner.callback().withdrawn(previous));
        }
        owner.route(key, request.candidates);
        expireLater(request);
        owner.deliver(() -> owner.callback().offered(request));
    }

    private boolean firstDelivery(PeerKey key, String payload) {
        String digest;
        try {
            digest = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        synchronized (recentOffers) {
            return recentOffers.put(key.service() + "\n" + key.api() + "\n" + key.id() + "\n" + digest, Boolean.TRUE) == null;
        }
    }

    /** An offer nobody answers is withdrawn once its sender has stopped waiting. */
    private void expireLater(DhtInboundOffer request) {
        owner.later(owner.timings.answerTimeout().plusSeconds(5), () -> gone(request));
    }

    /** The sender withdrew its offer. */
    void cancelled(ServiceLink link, RendezvousApi api, Signal signal) {
        DhtInboundOffer request = pending.get(new PeerKey(link, api, signal.from()));
        if (request != null) {
            gone(request);
        }
    }

    private void gone(DhtInboundOffer request) {
        if (request.withdraw()) {
            pending.remove(request.key, request);
            owner.unroute(request.key, request.candidates);
            owner.deliver(() -> owner.callback().withdrawn(request));
        }
    }

    /** Sends our answer; the peer's candidates keep coming to the offer's sink for a while. */
    CompletableFuture<Void> answer(DhtInboundOffer request, SignedDescription answer) {
        pending.remove(request.key, request);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            owner.work.execute(() -> {
                try {
                    owner.send(request.link, request.api, request.sender,
                            request.reconnect() ? Signal.RECONNECT_ANSWER : Signal.ANSWER, DescriptionJson.encode(answer));
                    sent.complete(null);
                    owner.unrouteLater(request.key, request.candidates);
                } catch (Throwable t) {
                    owner.unroute(request.key, request.candidates);
                    sent.completeExceptionally(owner.asSignalingException(t));
                }
            });
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(DhtLink.closedException());
        }
        return sent;
    }

    /** Declined by the client layer: the sender is told, with the reason, where the API carries a reject. */
    void rejected(DhtInboundOffer request, String reason) {
        pending.remove(request.key, request);
        owner.unroute(request.key, request.candidates);
        if (request.api.carries(Signal.REJECT)) {
            refuse(request.link, request.api, request.key.id(), reason);
        }
    }

    /** Sends a reject with {@code reason} ({@code {}} for none) where the API carries one. */
    private void refuse(ServiceLink link, RendezvousApi api, String to, String reason) {
        if (!api.carries(Signal.REJECT)) {
            return;
        }
        JsonObject payload = new JsonObject();
        if (reason != null && !reason.isBlank()) {
            payload.addProperty("reason", Text.shortened(reason, OutboundExchanges.MAX_REASON_CHARS));
        }
        owner.sendQuietly(link, api, to, Signal.REJECT, payload.toString());
    }

    /** The link is closing: every offer still waiting is gone, without a word to the callback. */
    void close() {
        pending.values().forEach(DhtInboundOffer::withdraw);
        pending.clear();
    }
}
