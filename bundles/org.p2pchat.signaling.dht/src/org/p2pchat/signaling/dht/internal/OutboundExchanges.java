package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Our offers on their way to peers: each is sent as an {@code offer} (or {@code reconnect-offer})
 * signal through the peer's service and waits there for the peer's answer or rejection; on
 * timeout or the client's cancel it is withdrawn where the API can say so. The answer is handed
 * over as it came, proof and all: the client layer checks it.
 */
final class OutboundExchanges {

    private static final System.Logger LOG = System.getLogger(OutboundExchanges.class.getName());
    static final int MAX_REASON_CHARS = 300;
    /** Our relay rebuilds its legacy peer list at most every 500 ms (peer-list-max-age-ms). */
    private static final long LISTING_CACHE_MILLIS = 1000;
    /** How often a peer we wait for is looked up on its service, to tell a peer that left from one that thinks. */
    private static final long PRESENCE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(3);

    /**
     * An offer of ours waiting for the peer's answer or rejection.
     *
     * @param tookNewId whether it took an answer from a new id of the web app (at most one)
     */
    private record Pending(PeerKey key, ServiceLink link, RendezvousApi api, ServicePeer target, boolean reconnect,
            DhtOutboundExchange exchange, CompletableFuture<Signal> reply, AtomicBoolean tookNewId) {
    }

    private final DhtLink owner;
    private final Map<PeerKey, Pending> pending = new ConcurrentHashMap<>();

    OutboundExchanges(DhtLink owner) {
        this.owner = owner;
    }

    OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(offer, "offer");
        if (owner.isClosed()) {
            return OutboundExchange.failed(DhtLink.closedException());
        }
        if (!DhtSignalingProvider.ID.equals(to.provider())) {
            return OutboundExchange.failed(new SignalingException(to.shown() + " was found by another connection "
                    + "method (" + to.provider() + "), not the DHT network."));
        }
        DhtOutboundExchange exchange = new DhtOutboundExchange();
        try {
            owner.work.execute(() -> run(to, offer, reconnect, exchange));
        } catch (RejectedExecutionException e) {
            return OutboundExchange.failed(DhtLink.closedException());
        }
        return exchange;
    }

    private void run(PeerAddress to, SignedDescription offer, boolean reconnect, DhtOutboundExchange exchange) {
        Pending request = null;
        try {
            ServiceLink link = owner.link(to.scope());
            RendezvousApi api = link.registeredApi();
            if (api == null) {
                throw new SignalingException("Not registered with " + link.service + " at the moment ("
                        + link.status().detail() + ") Try again once it is.");
            }
            ServicePeer peer = new ServicePeer(to.id(), to.name(), link.service, to.identity().isPresent(),
                    to.lastSeen());
            if (api.authenticated() && !peer.authenticated()) {
                // A web app user on a service that speaks both APIs: reached from our legacy twin.
                api = link.registeredLegacyTwin();
                if (api == null) {
                    throw new SignalingException(link.legacyUnreachable(peer.shown()));
                }
            }
            if (peer.id().equals(api.ourId())) {
                throw new SignalingException("That is you: choose another peer.");
            }
            ServicePeer target = peer;
            if (api.authenticated() && peer.name().isEmpty()) {
                // Reached by id (an unlisted peer): the look-up gives its name and a clear error for a wrong id.
                target = api.peer(peer.id()).orElseThrow(() -> new SignalingException("No peer with the id "
                        + Text.shortened(peer.id(), 24) + " is registered on " + link.service
                        + " now: they are offline, or the id is wrong. Check the id, or ask them to come online."));
            }
            String who = target.shown();
            PeerKey key = new PeerKey(link, api, target.id());
            request = new Pending(key, link, api, target, reconnect, exchange, new CompletableFuture<>(),
                    new AtomicBoolean());
            Pending previous = pending.put(key, request);
            if (previous != null) {
                previous.reply().completeExceptionally(new SignalingException("Replaced by a newer request to " + who + "."));
            }
            Pending mine = request;
            exchange.answer().whenComplete((a, t) -> {
                if (exchange.answer().isCancelled()) {
                    mine.reply().cancel(false);
                }
            });
            owner.route(key, exchange.candidates);

            owner.send(link, api, target, reconnect ? Signal.RECONNECT_OFFER : Signal.OFFER, DescriptionJson.encode(offer));

            Signal reply = awaitReply(request, who);
            if (reply.type().equals(Signal.REJECT)) {
                throw new SignalingException(declined(who, reply.payload()));
            }
            PeerAddress from = target.toAddress();
            if (!reply.from().equals(target.id())) {
                // The web app answered from the id its Accept registered: that is who the chat is with.
                from = new ServicePeer(reply.from(), target.name(), link.service, false, Instant.now()).toAddress();
            }
            SignedDescription answer;
            try {
                answer = DescriptionJson.decode(reply.payload(), SessionDescription.Type.ANSWER);
            } catch (SignalingException e) {
                throw new SignalingException("The answer from " + who + " cannot be used: " + e.getMessage(), e);
            }
            if (DtlsFingerprints.of(answer.description().sdp()).isEmpty()) {
                throw new SignalingException("The answer from " + who + " cannot be used: it has no DTLS fingerprint, "
                        + "so the connection would not be encrypted.");
            }
            exchange.answer().complete(new PeerAnswer(from, answer));
            owner.unrouteLater(key, exchange.candidates);
        } catch (Throwable t) {
            exchange.answer().completeExceptionally(owner.asSignalingException(t));
            if (request != null) {
                owner.unroute(request.key(), exchange.candidates);
            }
        } finally {
            if (request != null) {
                pending.remove(request.key(), request);
            }
        }
    }

    /** The peer's answer or rejection; on timeout or the client's cancel, the offer is withdrawn. */
    private Signal awaitReply(Pending request, String who) throws Exception {
        long deadline = System.nanoTime() + owner.timings.answerTimeout().toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                try {
                    return request.reply().get(Math.min(left, PRESENCE_CHECK_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline < 0 && gone(request)) {
                        withdraw(request);
                        throw new SignalingException(offline(who, request.link()));
                    }
                }
            }
        } catch (TimeoutException e) {
            withdraw(request);
            throw new SignalingException(who + " did not answer within " + owner.timings.answerTimeout().toSeconds()
                    + " s: " + (request.api().carries(Signal.REJECT)
                            ? "they did not accept in time, or are away."
                            : "they did not accept, declined (the web app's service cannot say so), or are away."));
        } catch (CancellationException e) {
            withdraw(request);
            throw e;
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** "X is offline", for a peer the service no longer has. */
    static String offline(String who, ServiceLink link) {
        return who + " is offline: not registered on " + link.service + " now.";
    }

    /**
     * Whether the peer we wait for left the service (a peer that was listed a moment ago may have
     * quit, or be the registration of a web app that is gone): then nobody will answer. A service
     * that cannot be asked counts as the peer being there.
     */
    private boolean gone(Pending request) {
        String id = request.key().id();
        try {
            if (request.api().authenticated()) {
                return request.api().peer(id).isEmpty();
            }
            return request.api().peers().stream().noneMatch(p -> p.id().equals(id));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: could not look the peer up: {1}", request.key().service(),
                    request.link().describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Tells the peer we no longer wait, where the API can, so its client stops showing the offer. */
    private void withdraw(Pending request) {
        if (!request.api().carries(Signal.CANCEL)) {
            return;
        }
        try {
            request.api().send(request.key().id(), Signal.CANCEL, "{}");
        } catch (IOException e) {
            LOG.log(Level.INFO, "{0}: could not withdraw a request: {1}", request.key().service(),
                    request.link().describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String declined(String who, String payload) {
        String reason = null;
        try {
            if (JsonParser.parseString(payload) instanceof JsonObject o) {
                reason = JsonFields.string(o, "reason");
            }
        } catch (JsonParseException e) {
            // No reason given in a form we read: a plain decline.
        }
        if (reason == null || reason.isBlank()) {
            return who + " declined the connection request.";
        }
        return who + "'s client refused the request: " + Text.printable(reason, MAX_REASON_CHARS);
    }

    /** An answer or rejection arrived. */
    void replied(ServiceLink link, RendezvousApi api, Signal signal) {
        Pending request = pending.get(new PeerKey(link, api, signal.from()));
        if (request == null) {
            request = answeredFromNewWebAppId(link, api, signal);
            if (request == null) {
                return;
            }
        }
        if (!request.reply().complete(signal)) {
            owner.ignore(link, signal, "the request already has its reply");
        }
    }

    /**
     * The web app's Accept registers again under a new id and answers from that one. Such an
     * answer is taken for our offer only on the web app's API (where nothing is verified anyway,
     * so the chat is unverified either way), only while our offer to that name on that service
     * waits, only from an id of the web app's shape registered there under that name, and only
     * the first one; anything else is ignored.
     *
     * @return the offer the answer is for; null if it is ignored (and logged)
     */
    private Pending answeredFromNewWebAppId(ServiceLink link, RendezvousApi api, Signal signal) {
        String name = LegacyApi.webAppName(signal.from());
        List<Pending> asked = api.authenticated() || !signal.type().equals(Signal.ANSWER) || name == null ? List.of()
                : pending.values().stream().filter(o -> o.link() == link && o.api() == api && !o.reconnect()
                        && o.target().name().equals(name) && !o.reply().isDone()).toList();
        if (asked.isEmpty()) {
            owner.ignore(link, signal, "no request of ours waits for it");
            return null;
        }
        if (asked.size() > 1) {
            owner.ignore(link, signal, "it comes from a new id, and several requests of ours wait for someone called that");
            return null;
        }
        if (!registeredAs(link, api, signal.from(), name)) {
            owner.ignore(link, signal, "no request of ours waits for it (nobody called that is registered under that id)");
            return null;
        }
        Pending request = asked.get(0);
        if (!request.tookNewId().compareAndSet(false, true)) {
            owner.ignore(link, signal, "the request already took an answer from a new id");
            return null;
        }
        LOG.log(Level.INFO, "{0}: the web app user {1} answers from its new id {2}", link.service,
                request.key().id(), signal.from());
        owner.route(new PeerKey(link, api, signal.from()), request.exchange().candidates);
        owner.unrouteLater(new PeerKey(link, api, signal.from()), request.exchange().candidates);
        return request;
    }

    /** Whether the service lists {@code id} as {@code name}; asked twice, as a service may cache its list briefly. */
    private boolean registeredAs(ServiceLink link, RendezvousApi api, String id, String name) {
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (attempt > 0) {
                    Thread.sleep(LISTING_CACHE_MILLIS);
                }
                if (api.peers().stream().anyMatch(p -> p.id().equals(id) && p.name().equals(name))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            LOG.log(Level.INFO, "{0}: could not look the answerer up: {1}", link.service, link.describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Fails every waiting offer (the link is closing); returns what withdraws them from the
     * services, to be run off the caller's thread.
     */
    Runnable close() {
        List<Pending> waiting = List.copyOf(pending.values());
        waiting.forEach(o -> o.reply().completeExceptionally(DhtLink.closedException()));
        return () -> waiting.forEach(this::withdraw);
    }
}
