package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerSessionListener;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionDescription;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.identity.DtlsFingerprints;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.DescriptionJson;
import org.p2pchat.core.signaling.DirectoryConnection;
import org.p2pchat.core.signaling.DirectoryListener;
import org.p2pchat.core.signaling.DirectoryMembership;
import org.p2pchat.core.signaling.DirectoryOptions;
import org.p2pchat.core.signaling.DirectoryPeer;
import org.p2pchat.core.signaling.ServiceStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * Our presence on a set of rendezvous services: one {@link ServiceLink} per service keeps us
 * registered and feeds the signals it receives to {@link #received}; connections are negotiated
 * on virtual threads, and listener events are delivered in order on one thread of their own.
 */
public final class DhtMembership implements DirectoryMembership {

    private static final System.Logger LOG = System.getLogger(DhtMembership.class.getName());
    private static final int REMEMBERED_IGNORED = 50;
    private static final int REMEMBERED_OFFERS = 256;
    private static final int MAX_REASON_CHARS = 300;
    private static final String MITM = " (man in the middle?)";
    /** Our relay rebuilds its legacy peer list at most every 500 ms (peer-list-max-age-ms). */
    private static final long LISTING_CACHE_MILLIS = 1000;

    /**
     * A peer on one service, through one of its APIs ({@link RendezvousApi#name()}): a service
     * that speaks both keeps their peers apart, and a legacy sender's unchecked {@code from} must
     * never stand for a peer of the authenticated API.
     */
    record PeerKey(URI service, String api, String id) {

        PeerKey(ServiceLink link, RendezvousApi api, String id) {
            this(link.service, api.name(), id);
        }
    }

    /** Where a peer's trickled candidates go: its session, or a request that keeps them until accepted. */
    interface CandidateSink {
        void add(IceCandidate candidate) throws SessionException;
    }

    /**
     * A connect of ours waiting for the peer's answer or rejection.
     *
     * @param tookNewId whether it took an answer from a new id of the web app (at most one)
     */
    private record Outgoing(PeerKey key, ServiceLink link, RendezvousApi api, DirectoryPeer target, boolean reconnect,
            PeerSession session, CompletableFuture<Signal> reply, AtomicBoolean tookNewId) {
    }

    final PeerTransport transport;
    final IdentityService identity;
    final DhtTimings timings;
    private final DirectoryOptions options;
    private final DirectoryListener listener;
    private final Consumer<DhtMembership> onClosed;
    private final List<ServiceLink> links;
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("p2pchat-dht events").factory());
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("p2pchat-dht work-", 0).factory());
    private final Map<PeerKey, Outgoing> outgoing = new ConcurrentHashMap<>();
    private final Map<PeerKey, DhtIncomingRequest> incoming = new ConcurrentHashMap<>();
    private final Map<PeerKey, CandidateSink> candidateSinks = new ConcurrentHashMap<>();
    private final Deque<String> ignored = new ArrayDeque<>();
    /** Offers seen lately, so one delivered twice (a request sent again after a lost reply) is shown once. */
    private final Map<String, Boolean> recentOffers = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_OFFERS;
        }
    };
    private volatile boolean closed;

    DhtMembership(PeerTransport transport, IdentityService identity, DhtTimings timings, DirectoryOptions options,
            DirectoryListener listener, Consumer<DhtMembership> onClosed) {
        this.transport = transport;
        this.identity = identity;
        this.timings = timings;
        this.options = options;
        this.listener = listener;
        this.onClosed = onClosed;
        String name = Text.printable(options.displayName(), JsonFields.MAX_NAME_CHARS);
        String shownName = name.isEmpty() ? "anonymous" : name;
        Set<URI> services = new LinkedHashSet<>(options.services());
        List<ServiceLink> l = new ArrayList<>();
        for (URI service : services) {
            l.add(new ServiceLink(service, this, timings, identity, shownName, options.listed()));
        }
        this.links = List.copyOf(l);
    }

    void start() {
        links.forEach(ServiceLink::start);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public List<ServiceStatus> services() {
        return links.stream().map(ServiceLink::status).toList();
    }

    /** The last signals this membership ignored, each with the reason (newest last); for diagnostics. */
    public List<String> ignoredSignals() {
        synchronized (ignored) {
            return List.copyOf(ignored);
        }
    }

    // ---- listing ----

    @Override
    public CompletableFuture<List<DirectoryPeer>> peers() {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        Map<ServiceLink, Future<List<DirectoryPeer>>> lists = new LinkedHashMap<>();
        CompletableFuture<List<DirectoryPeer>> result = new CompletableFuture<>();
        try {
            for (ServiceLink link : links) {
                lists.put(link, work.submit(() -> listOf(link)));
            }
            work.execute(() -> {
                try {
                    result.complete(merged(lists));
                } catch (SignalingException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    private List<DirectoryPeer> listOf(ServiceLink link) throws IOException, InterruptedException, SignalingException {
        RendezvousApi api = link.knownApi();
        if (api == null) {
            throw new SignalingException(link.status().detail());
        }
        LegacyApi twin = link.legacyTwin();
        Set<String> ours = new HashSet<>(List.of(api.ourId(), identity.self().key(), link.legacyId()));
        List<DirectoryPeer> peers = new ArrayList<>(api.peers().stream().filter(p -> !ours.contains(p.id())).toList());
        if (!api.authenticated()) {
            peers = new ArrayList<>(WebAppTwins.withoutStale(peers));
        }
        if (twin != null) {
            peers.addAll(webAppPeers(link, twin, peers, ours));
        }
        return peers;
    }

    /**
     * The web app's users on a service that also speaks our API, listed beside its own peers. Our
     * listed clients are on the web app's list too (as their legacy twins), and nothing there tells
     * them from web app users; so an entry named like a peer of the authenticated list is taken
     * for such a twin and left out (a web app user who picks the same name as one of ours is left
     * out with it). A list that cannot be had leaves the authenticated peers shown.
     */
    private List<DirectoryPeer> webAppPeers(ServiceLink link, LegacyApi twin, List<DirectoryPeer> authenticated,
            Set<String> ours) throws InterruptedException {
        Set<String> names = new HashSet<>();
        authenticated.forEach(p -> names.add(p.name()));
        try {
            return WebAppTwins.withoutStale(twin.peers().stream()
                    .filter(p -> !ours.contains(p.id()) && !names.contains(p.name())).toList());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "{0}: could not list the web app API''s peers: {1}", link.service,
                    e instanceof IOException io ? link.describe(io) : e.toString());
            return List.of();
        }
    }

    private List<DirectoryPeer> merged(Map<ServiceLink, Future<List<DirectoryPeer>>> lists) throws SignalingException {
        Map<String, DirectoryPeer> byId = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<ServiceLink, Future<List<DirectoryPeer>>> e : lists.entrySet()) {
            try {
                for (DirectoryPeer p : e.getValue().get()) {
                    byId.merge(p.id(), p, (a, b) -> lastSeen(b).isAfter(lastSeen(a)) ? b : a);
                }
            } catch (ExecutionException x) {
                Throwable cause = x.getCause();
                failures.add(cause instanceof Exception ex && !(cause instanceof SignalingException)
                        ? e.getKey().describe(ex) : cause.getMessage());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            }
        }
        if (failures.size() == lists.size()) {
            throw new SignalingException("No rendezvous service answered: " + String.join(" ", failures));
        }
        List<DirectoryPeer> peers = new ArrayList<>(byId.values());
        peers.sort(Comparator.comparing((DirectoryPeer p) -> p.name().toLowerCase()).thenComparing(DirectoryPeer::id));
        return peers;
    }

    private static Instant lastSeen(DirectoryPeer p) {
        return p.lastSeen() == null ? Instant.EPOCH : p.lastSeen();
    }

    // ---- connecting ----

    @Override
    public CompletableFuture<DirectoryConnection> connect(DirectoryPeer peer, PeerSessionListener sessionListener) {
        return startConnect(peer, sessionListener, false, Optional.empty());
    }

    @Override
    public CompletableFuture<DirectoryConnection> reconnect(DirectoryConnection previous, PeerSessionListener sessionListener) {
        return startConnect(previous.peer(), sessionListener, true, previous.identity());
    }

    private CompletableFuture<DirectoryConnection> startConnect(DirectoryPeer peer, PeerSessionListener sessionListener,
            boolean reconnect, Optional<PublicIdentity> known) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(sessionListener, "listener");
        CompletableFuture<DirectoryConnection> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(closedException());
            return result;
        }
        try {
            work.execute(() -> runConnect(peer, sessionListener, reconnect, known, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    private void runConnect(DirectoryPeer peer, PeerSessionListener sessionListener, boolean reconnect,
            Optional<PublicIdentity> known, CompletableFuture<DirectoryConnection> result) {
        PeerSession session = null;
        Outgoing request = null;
        try {
            ServiceLink link = link(peer.service());
            RendezvousApi api = link.registeredApi();
            if (api == null) {
                throw new SignalingException("Not registered with " + peer.service() + " at the moment ("
                        + link.status().detail() + ") Try again once it is.");
            }
            if (api.authenticated() && !peer.authenticated()) {
                // A web app user on a service that speaks both APIs: reached from our legacy twin.
                api = link.registeredLegacyTwin();
                if (api == null) {
                    throw new SignalingException(link.legacyUnreachable(shown(peer)));
                }
            }
            if (peer.id().equals(api.ourId())) {
                throw new SignalingException("That is you: choose another peer.");
            }
            DirectoryPeer target = peer;
            if (api.authenticated() && peer.name().isEmpty()) {
                // Reached by id (an unlisted peer): the look-up gives its name and a clear error for a wrong id.
                target = api.peer(peer.id()).orElseThrow(() -> new SignalingException("No peer with the id "
                        + Text.shortened(peer.id(), 24) + " is registered on " + peer.service()
                        + " now. Check the id, or ask the peer to come online."));
            }
            String who = shown(target);
            session = transport.createSession(options.sessionConfig());
            session.addListener(sessionListener);
            PeerKey key = new PeerKey(link, api, target.id());
            request = new Outgoing(key, link, api, target, reconnect, session, new CompletableFuture<>(),
                    new AtomicBoolean());
            Outgoing previous = outgoing.put(key, request);
            if (previous != null) {
                previous.reply().completeExceptionally(new SignalingException("Replaced by a newer request to " + who + "."));
            }
            Outgoing mine = request;
            result.whenComplete((c, t) -> {
                if (result.isCancelled()) {
                    mine.reply().cancel(false);
                }
            });
            sendCandidatesTo(key, session::addRemoteCandidate, session);

            SessionDescription offer = await(session.createOffer(), "Creating the offer");
            SignedDescription signedOffer = new SignedDescription(offer, identity.prove(offer));
            send(link, api, target, reconnect ? Signal.RECONNECT_OFFER : Signal.OFFER, DescriptionJson.encode(signedOffer));

            Signal reply = awaitReply(request, who);
            if (reply.type().equals(Signal.REJECT)) {
                throw new SignalingException(declined(who, reply.payload()));
            }
            if (!reply.from().equals(target.id())) {
                // The web app answered from the id its Accept registered: that is who we chat with now.
                target = new DirectoryPeer(reply.from(), target.name(), target.service(), false, Instant.now());
            }
            SignedDescription answer;
            try {
                answer = DescriptionJson.decode(reply.payload(), SessionDescription.Type.ANSWER);
            } catch (SignalingException e) {
                throw new SignalingException("The answer from " + who + " cannot be used: " + e.getMessage(), e);
            }
            Optional<PublicIdentity> verified = verifyAnswer(api, target, who, answer, known);
            await(session.acceptAnswer(answer.description()), "Applying the answer");
            if (result.complete(new DirectoryConnection(session, target, signedOffer, answer, verified))) {
                session = null; // the caller's now
            }
        } catch (Throwable t) {
            result.completeExceptionally(asSignalingException(t));
        } finally {
            if (session != null) {
                session.close();
            }
            if (request != null) {
                outgoing.remove(request.key(), request);
            }
        }
    }

    /** The peer's answer or rejection; on timeout or the caller's cancel, the request is withdrawn. */
    private Signal awaitReply(Outgoing request, String who) throws Exception {
        try {
            return request.reply().get(timings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            withdraw(request);
            throw new SignalingException("No answer from " + who + " within " + timings.answerTimeout().toSeconds()
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

    /** Tells the peer we no longer wait, where the API can, so its client stops showing the request. */
    private void withdraw(Outgoing request) {
        if (!request.api().carries(Signal.CANCEL)) {
            return;
        }
        try {
            request.api().send(request.key().id(), Signal.CANCEL, "{}");
        } catch (IOException e) {
            LOG.log(Level.INFO, "{0}: could not withdraw a request: {1}", request.key().service(), request.link().describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String declined(String who, String payload) {
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

    /**
     * The answer's identity, checked end to end: on the authenticated API every client signs, so a
     * missing or wrong proof means someone in between changed the answer.
     */
    private Optional<PublicIdentity> verifyAnswer(RendezvousApi api, DirectoryPeer peer, String who,
            SignedDescription answer, Optional<PublicIdentity> known) throws SignalingException {
        String refused = "Refused the answer from " + who + ": ";
        if (answer.proof() == null) {
            if (api.authenticated()) {
                throw new SignalingException(refused + "it carries no identity proof, which every client on this "
                        + "service sends. Someone between you may have replaced it" + MITM + ".");
            }
            if (known.isPresent()) {
                throw new SignalingException(refused + "it carries no identity proof, but " + who + " proved its "
                        + "identity before. Someone between you may have replaced it" + MITM + ".");
            }
            return Optional.empty();
        }
        PublicIdentity signer;
        try {
            signer = identity.verify(answer.description(), answer.proof());
        } catch (IdentityException e) {
            LOG.log(Level.INFO, "the answer from {0} failed its identity check: {1}", peer.id(), e.getMessage());
            throw new SignalingException(refused + "it failed the identity check, so it was changed or forged on the "
                    + "way" + MITM + ". The connection was not made.", e);
        }
        if (api.authenticated() && !signer.key().equals(peer.id())) {
            throw new SignalingException(refused + "it is signed by another identity than " + who + "'s. Someone "
                    + "between you may have replaced it" + MITM + ".");
        }
        if (known.isPresent() && !known.get().equals(signer)) {
            throw new SignalingException(refused + "it is signed by another identity than last time. Someone "
                    + "between you may have replaced it" + MITM + ".");
        }
        return Optional.of(signer);
    }

    // ---- answering ----

    CompletableFuture<DirectoryConnection> accept(DhtIncomingRequest request, PeerSessionListener sessionListener) {
        incoming.remove(request.key, request);
        CompletableFuture<DirectoryConnection> result = new CompletableFuture<>();
        try {
            work.execute(() -> runAccept(request, sessionListener, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    private void runAccept(DhtIncomingRequest request, PeerSessionListener sessionListener,
            CompletableFuture<DirectoryConnection> result) {
        PeerSession session = null;
        try {
            session = transport.createSession(options.sessionConfig());
            session.addListener(sessionListener);
            request.attach(session);
            sendCandidatesTo(request.key, request, session);
            SessionDescription answer = await(session.acceptOffer(request.offer.description()), "Answering the offer");
            SignedDescription signed = new SignedDescription(answer, identity.prove(answer));
            send(request.link, request.api, request.from(),
                    request.reconnect() ? Signal.RECONNECT_ANSWER : Signal.ANSWER, DescriptionJson.encode(signed));
            if (result.complete(new DirectoryConnection(session, request.from(), signed, request.offer, request.identity()))) {
                session = null; // the caller's now
            }
        } catch (Throwable t) {
            result.completeExceptionally(asSignalingException(t));
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    void rejected(DhtIncomingRequest request) {
        incoming.remove(request.key, request);
        candidateSinks.remove(request.key, request);
        if (request.api.carries(Signal.REJECT)) {
            sendQuietly(request.link, request.api, request.key.id(), Signal.REJECT, "{}");
        }
    }

    // ---- receiving ----

    /** A signal a service delivered; called on the service's thread. Nothing a peer sends may escape as an exception. */
    void received(ServiceLink link, RendezvousApi api, Signal signal) {
        try {
            switch (signal.type()) {
                case Signal.OFFER, Signal.RECONNECT_OFFER -> offered(link, api, signal);
                case Signal.ANSWER, Signal.RECONNECT_ANSWER, Signal.REJECT -> replied(link, api, signal);
                case Signal.ICE_CANDIDATE -> candidate(link, api, signal);
                case Signal.CANCEL -> cancelled(link, api, signal);
                default -> ignore(link, signal, "a signal of an unknown type");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, link.service + ": failed to handle a " + Text.printable(signal.type(), 40) + " signal", e);
            ignore(link, signal, "handling it failed: " + e);
        }
    }

    private void offered(ServiceLink link, RendezvousApi api, Signal signal) {
        if (closed) {
            return;
        }
        PeerKey key = new PeerKey(link, api, signal.from());
        if (signal.from().equals(api.ourId())) {
            ignore(link, signal, "an offer from our own id");
            return;
        }
        if (!firstDelivery(key, signal.payload())) {
            ignore(link, signal, "the same offer arrived before");
            return;
        }
        DirectoryPeer from = new DirectoryPeer(signal.from(), signal.fromName(), link.service, api.authenticated(),
                signal.timestamp() > 0 ? Instant.ofEpochMilli(signal.timestamp()) : null);
        SignedDescription offer;
        Optional<PublicIdentity> who;
        try {
            try {
                offer = DescriptionJson.decode(signal.payload(), SessionDescription.Type.OFFER);
            } catch (SignalingException e) {
                throw new SignalingException("your offer arrived unreadable: " + e.getMessage(), e);
            }
            who = verifyOffer(api, from, offer);
        } catch (SignalingException e) {
            ignore(link, signal, e.getMessage());
            if (api.carries(Signal.REJECT)) {
                // The service vouches for the sender, so telling it why cannot be turned against a third party.
                JsonObject reason = new JsonObject();
                reason.addProperty("reason", Text.shortened(e.getMessage(), MAX_REASON_CHARS));
                sendQuietly(link, api, signal.from(), Signal.REJECT, reason.toString());
            }
            return;
        }
        boolean reconnect = signal.type().equals(Signal.RECONNECT_OFFER);
        DhtIncomingRequest request = new DhtIncomingRequest(this, link, api, key, from, offer, who, reconnect);
        DhtIncomingRequest previous = incoming.put(key, request);
        if (previous != null && previous.withdraw()) {
            deliver(() -> listener.withdrawn(previous));
        }
        candidateSinks.put(key, request);
        expireLater(request);
        deliver(() -> listener.incoming(request));
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

    /** The offer's identity: required and bound to the sender on the authenticated API; optional on the web app's. */
    private Optional<PublicIdentity> verifyOffer(RendezvousApi api, DirectoryPeer from, SignedDescription offer)
            throws SignalingException {
        if (offer.proof() == null) {
            if (api.authenticated()) {
                throw new SignalingException("your offer arrived without an identity proof, which every client "
                        + "on this service sends" + MITM);
            }
            if (DtlsFingerprints.of(offer.description().sdp()).isEmpty()) {
                throw new SignalingException("your offer has no DTLS fingerprint, so the connection would not be encrypted");
            }
            return Optional.empty();
        }
        PublicIdentity signer;
        try {
            signer = identity.verify(offer.description(), offer.proof());
        } catch (IdentityException e) {
            LOG.log(Level.INFO, "the offer from {0} failed its identity check: {1}", from.id(), e.getMessage());
            throw new SignalingException("your offer failed the identity check, so it was changed or forged on the way"
                    + MITM, e);
        }
        if (api.authenticated() && !signer.key().equals(from.id())) {
            throw new SignalingException("your offer is signed by another identity than the sender's" + MITM);
        }
        return Optional.of(signer);
    }

    /** An offer nobody answers is withdrawn once its sender has stopped waiting. */
    private void expireLater(DhtIncomingRequest request) {
        try {
            work.execute(() -> {
                try {
                    Thread.sleep(timings.answerTimeout().plusSeconds(5));
                } catch (InterruptedException e) {
                    return;
                }
                if (request.withdraw()) {
                    incoming.remove(request.key, request);
                    candidateSinks.remove(request.key, request);
                    deliver(() -> listener.withdrawn(request));
                }
            });
        } catch (RejectedExecutionException e) {
            // Closing: nothing to expire.
        }
    }

    private void replied(ServiceLink link, RendezvousApi api, Signal signal) {
        Outgoing request = outgoing.get(new PeerKey(link, api, signal.from()));
        if (request == null) {
            request = answeredFromNewWebAppId(link, api, signal);
            if (request == null) {
                return;
            }
        }
        if (!request.reply().complete(signal)) {
            ignore(link, signal, "the request already has its reply");
        }
    }

    /**
     * The web app's Accept registers again under a new id and answers from that one. Such an
     * answer is taken for our request only on the web app's API (where nothing is verified
     * anyway, so the chat is shown unverified either way), only while our request to that name on
     * that service waits, only from an id of the web app's shape registered there under that name,
     * and only the first one; anything else is ignored as before.
     *
     * @return the request the answer is for; null if it is ignored (and logged)
     */
    private Outgoing answeredFromNewWebAppId(ServiceLink link, RendezvousApi api, Signal signal) {
        String name = LegacyApi.webAppName(signal.from());
        List<Outgoing> asked = api.authenticated() || !signal.type().equals(Signal.ANSWER) || name == null ? List.of()
                : outgoing.values().stream().filter(o -> o.link() == link && o.api() == api && !o.reconnect()
                        && o.target().name().equals(name) && !o.reply().isDone()).toList();
        if (asked.isEmpty()) {
            ignore(link, signal, "no request of ours waits for it");
            return null;
        }
        if (asked.size() > 1) {
            ignore(link, signal, "it comes from a new id, and several requests of ours wait for someone called that");
            return null;
        }
        if (!registeredAs(link, api, signal.from(), name)) {
            ignore(link, signal, "no request of ours waits for it (nobody called that is registered under that id)");
            return null;
        }
        Outgoing request = asked.get(0);
        if (!request.tookNewId().compareAndSet(false, true)) {
            ignore(link, signal, "the request already took an answer from a new id");
            return null;
        }
        LOG.log(Level.INFO, "{0}: the web app user {1} answers from its new id {2}", link.service,
                request.key().id(), signal.from());
        sendCandidatesTo(new PeerKey(link, api, signal.from()), request.session()::addRemoteCandidate, request.session());
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

    private void candidate(ServiceLink link, RendezvousApi api, Signal signal) {
        IceCandidate candidate;
        try {
            candidate = CandidateJson.decode(signal.payload());
        } catch (SignalingException e) {
            ignore(link, signal, e.getMessage());
            return;
        }
        if (candidate == null) {
            return; // end of candidates
        }
        CandidateSink sink = candidateSinks.get(new PeerKey(link, api, signal.from()));
        if (sink == null) {
            ignore(link, signal, "no connection with that peer is under way");
            return;
        }
        try {
            sink.add(candidate);
        } catch (SessionException | RuntimeException e) {
            ignore(link, signal, e.getMessage());
        }
    }

    private void cancelled(ServiceLink link, RendezvousApi api, Signal signal) {
        PeerKey key = new PeerKey(link, api, signal.from());
        DhtIncomingRequest request = incoming.get(key);
        if (request != null && request.withdraw()) {
            incoming.remove(key, request);
            candidateSinks.remove(key, request);
            deliver(() -> listener.withdrawn(request));
        }
    }

    private void ignore(ServiceLink link, Signal signal, String reason) {
        String line = "ignored a signal (" + Text.printable(signal.type(), 40) + ") from "
                + Text.shortened(Text.printable(signal.from(), JsonFields.MAX_ID_CHARS), 60) + " on " + link.service
                + ": " + reason;
        LOG.log(Level.INFO, line);
        synchronized (ignored) {
            if (ignored.size() == REMEMBERED_IGNORED) {
                ignored.removeFirst();
            }
            ignored.addLast(line);
        }
    }

    // ---- helpers ----

    /** Routes the peer's trickled candidates to {@code sink} until {@code session} ends. */
    private void sendCandidatesTo(PeerKey key, CandidateSink sink, PeerSession session) {
        candidateSinks.put(key, sink);
        session.addListener(new PeerSessionListener() {
            @Override
            public void stateChanged(PeerSession s, ConnectionState state) {
                if (state.isFinal()) {
                    candidateSinks.remove(key, sink);
                }
            }
        });
    }

    private void send(ServiceLink link, RendezvousApi api, DirectoryPeer to, String type, String payload)
            throws SignalingException, InterruptedException {
        String who = shown(to);
        try {
            api.send(to.id(), type, payload);
        } catch (RendezvousHttp.ServiceRefusal r) {
            throw new SignalingException(switch (r.status) {
                case 404 -> who + " is no longer registered on " + link.service + " (gone offline?).";
                case 429 -> who + " has too many requests waiting; try again in a moment.";
                default -> link.service + " did not pass the " + type + " on: " + r.getMessage() + ".";
            }, r);
        } catch (IOException e) {
            throw new SignalingException(link.describe(e), e);
        }
    }

    private void sendQuietly(ServiceLink link, RendezvousApi api, String to, String type, String payload) {
        try {
            work.execute(() -> {
                try {
                    api.send(to, type, payload);
                } catch (IOException e) {
                    LOG.log(Level.INFO, "{0}: could not send a {1}: {2}", link.service, type, link.describe(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) throws SignalingException, InterruptedException {
        try {
            return future.get(timings.negotiationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new SignalingException(what + " did not finish within " + timings.negotiationTimeout().toSeconds()
                    + " s.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SignalingException(what + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage()),
                    cause);
        }
    }

    private ServiceLink link(URI service) throws SignalingException {
        for (ServiceLink l : links) {
            if (l.service.equals(service)) {
                return l;
            }
        }
        throw new SignalingException(service + " is not one of the services this directory membership joined.");
    }

    static String shown(DirectoryPeer peer) {
        return peer.name().isBlank() ? Text.shortened(peer.id(), 24) : "\u201C" + peer.name() + "\u201D";
    }

    private Throwable asSignalingException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof SignalingException || c instanceof CancellationException) {
            return c;
        }
        if (c instanceof SessionException) {
            return new SignalingException(c.getMessage(), c);
        }
        if (c instanceof InterruptedException) {
            return closedException();
        }
        LOG.log(Level.WARNING, "connection attempt failed unexpectedly", c);
        return new SignalingException("The connection attempt failed unexpectedly: " + c, c);
    }

    private static SignalingException closedException() {
        return new SignalingException("You left the directory; join it again to connect.");
    }

    /** Delivers a listener event in order, on the events thread; a failing listener is logged, never fatal. */
    private void deliver(Runnable event) {
        try {
            events.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a directory listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the listener hears nothing more.
        }
    }

    void report(ServiceLink link, ServiceStatus status) {
        if (closed && status.state() != ServiceStatus.State.CLOSED) {
            return;
        }
        deliver(() -> listener.serviceChanged(status));
    }

    // ---- leaving ----

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        links.forEach(ServiceLink::stop);
        List<Outgoing> waiting = List.copyOf(outgoing.values());
        waiting.forEach(o -> o.reply().completeExceptionally(closedException()));
        incoming.values().forEach(DhtIncomingRequest::withdraw);
        incoming.clear();
        links.forEach(ServiceLink::closed);
        events.shutdown();
        // Leaving takes a few requests: off the caller's thread, so closing never blocks on the network.
        Thread.ofVirtual().name("p2pchat-dht leave").start(() -> {
            try {
                waiting.forEach(this::withdraw);
                links.forEach(ServiceLink::unregister);
            } finally {
                links.forEach(l -> l.http.close());
                work.shutdownNow();
                onClosed.accept(this);
            }
        });
    }
}
