package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderAction;
import org.p2pchat.core.signaling.ProviderCallback;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;

/**
 * The provider started for one client: one {@link ServiceLink} per service keeps us registered
 * and feeds the signals it receives to {@link #received}; {@link OutboundExchanges} carries our
 * offers, {@link InboundOffers} the peers'. Work that waits on the network runs on virtual
 * threads; callback events are delivered in order on one thread of their own.
 */
public final class DhtLink implements ProviderLink {

    private static final System.Logger LOG = System.getLogger(DhtLink.class.getName());
    private static final int REMEMBERED_IGNORED = 50;

    final DhtTimings timings;
    final ProviderContext context;
    private final ProviderCallback callback;
    private final Consumer<DhtLink> onClosed;
    final List<ServiceLink> links;
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("p2pchat-dht events").factory());
    final ExecutorService work = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("p2pchat-dht work-", 0).factory());
    /** Where each peer's trickled candidates go while an exchange with it is under way. */
    private final Map<PeerKey, CandidateBuffer> candidateRoutes = new ConcurrentHashMap<>();
    private final OutboundExchanges outbound = new OutboundExchanges(this);
    private final InboundOffers inbound = new InboundOffers(this);
    private final Deque<String> ignored = new ArrayDeque<>();
    private volatile boolean closed;
    /** The relay this link started on this computer; null if none. */
    private LocalRelay localRelay;

    static final ProviderAction START_LOCAL_RELAY = new ProviderAction("startLocalRelay", "Start a local relay",
            "Starts the relay installed beside P2P Chat on this computer, reachable from this computer only, for as "
                    + "long as P2P Chat runs, and registers with it. Others can reach you through it only if they "
                    + "use it too (on this computer); for people elsewhere, add a service you both use.");

    DhtLink(DhtTimings timings, ProviderContext context, List<URI> services, Consumer<DhtLink> onClosed) {
        this.timings = timings;
        this.context = context;
        this.callback = context.callback();
        this.onClosed = onClosed;
        String name = Text.printable(context.displayName(), JsonFields.MAX_NAME_CHARS);
        String shownName = name.isEmpty() ? "anonymous" : name;
        List<ServiceLink> l = new ArrayList<>();
        for (URI service : new LinkedHashSet<>(services)) {
            l.add(new ServiceLink(service, this, timings, context.self(), context::sign, shownName, context.listed()));
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
    public List<ProviderStatus> status() {
        return links.stream().map(ServiceLink::status).toList();
    }

    /** The last signals this link ignored, each with the reason (newest last); for diagnostics. */
    public List<String> ignoredSignals() {
        synchronized (ignored) {
            return List.copyOf(ignored);
        }
    }

    // ---- starting a relay on this computer ----

    /**
     * Offers to start the relay installed beside the client where a service on this computer does
     * not answer (a first start with the default {@code http://localhost:3479}, which runs nothing)
     * and no relay we started runs.
     */
    @Override
    public List<ProviderAction> actions() {
        if (closed || localService() == null || context.profileDirectory().isEmpty()
                || LocalRelay.installed().isEmpty()) {
            return List.of();
        }
        synchronized (this) {
            if (localRelay != null && localRelay.running()) {
                return List.of();
            }
        }
        return List.of(START_LOCAL_RELAY);
    }

    @Override
    public CompletableFuture<String> perform(String actionId) {
        if (!START_LOCAL_RELAY.id().equals(actionId)) {
            return ProviderLink.super.perform(actionId);
        }
        ServiceLink local = localService();
        java.util.Optional<java.nio.file.Path> script = LocalRelay.installed();
        java.util.Optional<java.nio.file.Path> profile = context.profileDirectory();
        if (closed || local == null || script.isEmpty() || profile.isEmpty()) {
            return CompletableFuture.failedFuture(new SignalingException(closed ? "Not online any more."
                    : local == null ? "No rendezvous service on this computer is waiting to be reached."
                            : "No relay is installed beside P2P Chat."));
        }
        LocalRelay relay;
        synchronized (this) {
            if (closed) { // closing meanwhile: a relay started now would outlive the link
                return CompletableFuture.failedFuture(new SignalingException("Not online any more."));
            }
            if (localRelay != null && localRelay.running()) {
                return localRelay.started();
            }
            int port = local.service.getPort() < 0 ? 80 : local.service.getPort();
            relay = LocalRelay.start(script.get(), profile.get(), port);
            localRelay = relay;
        }
        // Once it listens, the services on this computer are asked again at once; either way the
        // action's offer changes with it.
        return relay.started().whenComplete((done, failed) -> {
            if (failed == null) {
                links.stream().filter(ServiceLink::onThisComputer).forEach(ServiceLink::retryNow);
            } else {
                relay.stop(); // gone before the action is offered again
            }
            List<ProviderStatus> now = status();
            deliver(() -> callback.statusChanged(now));
        });
    }

    /** A service on this computer that does not answer; null if none. */
    private ServiceLink localService() {
        return links.stream().filter(ServiceLink::onThisComputer)
                .filter(l -> l.status().state() == ProviderStatus.State.UNREACHABLE).findFirst().orElse(null);
    }

    // ---- finding peers ----

    @Override
    public CompletableFuture<List<PeerAddress>> peers() {
        return new PeerListing(this).peers();
    }

    /** An identity key, as a person pastes it, on the first authenticated service we are registered with. */
    @Override
    public Optional<PeerAddress> address(String text) {
        String id = text == null ? "" : text.strip();
        PublicIdentity key;
        try {
            key = new PublicIdentity(id);
        } catch (IllegalArgumentException notAKey) {
            return Optional.empty();
        }
        for (ServiceLink link : links) {
            RendezvousApi api = link.registeredApi();
            if (api != null && api.authenticated()) {
                return Optional.of(new PeerAddress(DhtSignalingProvider.ID, id, "", link.scope(), Optional.of(key), null));
            }
        }
        return Optional.empty();
    }

    // ---- STUN/TURN servers ----

    /** The STUN/TURN servers, with credentials for us, of the services that hand them out. */
    @Override
    public List<IceServer> iceServers() {
        List<IceServer> servers = new ArrayList<>();
        for (ServiceLink link : links) {
            for (IceServer server : link.turn.servers()) {
                if (!servers.contains(server)) {
                    servers.add(server);
                }
            }
        }
        return servers;
    }

    /** How many times each service's TURN credentials were fetched, by service; for tests and diagnostics. */
    public Map<URI, Integer> turnCredentialFetches() {
        Map<URI, Integer> fetches = new java.util.LinkedHashMap<>();
        links.forEach(l -> fetches.put(l.service, l.turn.fetches()));
        return fetches;
    }

    // ---- carrying descriptions ----

    @Override
    public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
        return outbound.send(to, offer, reconnect);
    }

    /** A signal a service delivered; called on the service's thread. Nothing a peer sends may escape as an exception. */
    void received(ServiceLink link, RendezvousApi api, Signal signal) {
        try {
            switch (signal.type()) {
                case Signal.OFFER, Signal.RECONNECT_OFFER -> inbound.offered(link, api, signal);
                case Signal.ANSWER, Signal.RECONNECT_ANSWER, Signal.REJECT -> outbound.replied(link, api, signal);
                case Signal.ICE_CANDIDATE -> candidate(link, api, signal);
                case Signal.CANCEL -> inbound.cancelled(link, api, signal);
                default -> ignore(link, signal, "a signal of an unknown type");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, link.service + ": failed to handle a " + Text.printable(signal.type(), 40) + " signal", e);
            ignore(link, signal, "handling it failed: " + e);
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
        CandidateBuffer route = candidateRoutes.get(new PeerKey(link, api, signal.from()));
        if (route == null) {
            ignore(link, signal, "no connection with that peer is under way");
            return;
        }
        route.add(candidate);
    }

    /** Candidates from {@code key} go to {@code buffer} from now on. */
    void route(PeerKey key, CandidateBuffer buffer) {
        candidateRoutes.put(key, buffer);
    }

    /** Candidates from {@code key} no longer go to {@code buffer} (the exchange failed or went away). */
    void unroute(PeerKey key, CandidateBuffer buffer) {
        candidateRoutes.remove(key, buffer);
    }

    /**
     * The exchange has its answer: the peer may still trickle candidates for a while (the web app
     * sends them after its description), then the route goes.
     */
    void unrouteLater(PeerKey key, CandidateBuffer buffer) {
        later(timings.negotiationTimeout(), () -> unroute(key, buffer));
    }

    /** Runs {@code task} after {@code delay} unless the link is closed first. */
    void later(java.time.Duration delay, Runnable task) {
        try {
            work.execute(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                task.run();
            });
        } catch (RejectedExecutionException e) {
            // Closing: nothing more to do.
        }
    }

    void ignore(ServiceLink link, Signal signal, String reason) {
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

    // ---- helpers of both directions ----

    /** The link of the service an address's scope names. */
    ServiceLink link(String scope) throws SignalingException {
        for (ServiceLink l : links) {
            if (l.scope().equals(scope)) {
                return l;
            }
        }
        throw new SignalingException(scope + " is not one of the rendezvous services in use.");
    }

    /** Queues a signal for {@code to}; a refusal in words for the user. */
    void send(ServiceLink link, RendezvousApi api, ServicePeer to, String type, String payload)
            throws SignalingException, InterruptedException {
        try {
            api.send(to.id(), type, payload);
        } catch (RendezvousHttp.ServiceRefusal r) {
            throw new SignalingException(switch (r.status) {
                case 404 -> OutboundExchanges.offline(to.shown(), link);
                case 429 -> to.shown() + " has too many requests waiting; try again in a moment.";
                default -> link.service + " did not pass the " + type + " on: " + r.getMessage() + ".";
            }, r);
        } catch (IOException e) {
            throw new SignalingException(link.describe(e), e);
        }
    }

    /** Queues a signal off the caller's thread; a failure is logged. */
    void sendQuietly(ServiceLink link, RendezvousApi api, String to, String type, String payload) {
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

    /** What an exchange failed with, as the client layer is told it. */
    Throwable asSignalingException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof SignalingException || c instanceof CancellationException) {
            return c;
        }
        if (c instanceof InterruptedException) {
            return closedException();
        }
        LOG.log(Level.WARNING, "an exchange failed unexpectedly", c);
        return new SignalingException("The connection attempt failed unexpectedly: " + c, c);
    }

    static SignalingException closedException() {
        return new SignalingException("You left the directory; join it again to connect.");
    }

    /** Tells the callback, in order, on the events thread; a failing callback is logged, never fatal. */
    void deliver(Runnable event) {
        try {
            events.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the provider callback failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the callback hears nothing more.
        }
    }

    ProviderCallback callback() {
        return callback;
    }

    /** A service's status changed: the callback gets every service's, as they are now. */
    void report(ProviderStatus changed) {
        if (closed && changed.state() != ProviderStatus.State.CLOSED) {
            return;
        }
        List<ProviderStatus> now = status();
        deliver(() -> callback.statusChanged(now));
    }

    // ---- leaving ----

    private void stopLocalRelay() {
        LocalRelay relay;
        synchronized (this) {
            relay = localRelay;
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        links.forEach(ServiceLink::stop);
        Runnable withdrawals = outbound.close();
        inbound.close();
        links.forEach(ServiceLink::closed);
        events.shutdown();
        // Leaving takes a few requests: off the caller's thread, so closing never blocks on the network.
        Thread.ofVirtual().name("p2pchat-dht leave").start(() -> {
            try {
                withdrawals.run();
                links.forEach(ServiceLink::unregister);
            } finally {
                links.forEach(l -> l.http.close());
                stopLocalRelay(); // after leaving it: the client quits, so does the relay it started
                work.shutdownNow();
                onClosed.accept(this);
            }
        });
    }
}
