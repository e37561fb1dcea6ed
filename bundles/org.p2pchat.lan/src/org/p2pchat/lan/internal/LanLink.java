package org.p2pchat.lan.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.p2pchat.core.IceCandidate;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.signaling.OutboundExchange;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.PeerAnswer;
import org.p2pchat.core.signaling.ProviderContext;
import org.p2pchat.core.signaling.ProviderLink;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.core.signaling.ProviderStatus.State;
import org.p2pchat.core.signaling.SignalingException;
import org.p2pchat.core.signaling.SignedDescription;
import org.p2pchat.lan.LanSettings;

/**
 * One client on the local network: listens to the multicast group for announcements (keeping the
 * peers in a {@link PeerTable}), announces itself there unless listen-only, takes offers on a TCP
 * port of each interface it announces on, and carries its own offers to the address a peer
 * announced. Hostile datagrams and connections are counted, logged and ignored.
 */
public final class LanLink implements ProviderLink {

    /**
     * How often we announce, how long a silent peer is kept, how old an announcement may be, how
     * long an offer waits for its answer, how many peers and pending offers are kept.
     */
    public record Timings(Duration announceEvery, Duration expiry, Duration window, Duration offerPatience,
            int capacity, int inboundSlots, Duration retryEvery) {
        public static final Timings DEFAULT = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(2), 256, 16, Duration.ofSeconds(10));
    }

    /** Where these peers are, as {@link PeerAddress#scope()} and {@link ProviderStatus#scope()}. */
    public static final String SCOPE = "local network";
    private static final System.Logger LOG = System.getLogger(LanLink.class.getName());
    private static final int CONNECT_MILLIS = 5_000;
    private static final int OFFER_READ_MILLIS = 10_000;
    /** Logged as warnings per reason; later ones at debug level, so a flood does not fill the log. */
    private static final int LOUD_REFUSALS = 5;
    private static final int DATAGRAMS_PER_SECOND = 20;
    /** A client greets newcomers at most once in this time; so every newcomer is greeted within it. */
    private static final long GREETING_NANOS = 1_000_000_000L;
    /**
     * How long a client that announced waits for the greetings before its first list is given: the
     * greeting interval, and time for the greeting to arrive.
     */
    private static final Duration GREETED_WITHIN = Duration.ofSeconds(2);
    private static final int SOURCES_PER_SECOND = 1024;

    private final ProviderContext context;
    private final LanSettings settings;
    private final Timings timings;
    private final boolean announcing;
    private final PeerTable table;
    private final Map<Refusal, AtomicLong> refusals = new EnumMap<>(Refusal.class);
    private final Semaphore inboundSlots;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("lan timer").daemon().factory());
    private volatile List<Endpoint> endpoints = List.of();
    private final List<Offers> offerPorts = new ArrayList<>();
    private volatile ProviderStatus status = new ProviderStatus(SCOPE, State.CONNECTING, "", "");
    private volatile boolean closed;
    private volatile InetAddress group;
    /** Datagrams looked at from each address since the last tick of the timer; see {@link #limit}. */
    private final Map<InetAddress, Integer> heardThisSecond = new ConcurrentHashMap<>();
    private final AtomicLong lastGreeting = new AtomicLong(System.nanoTime() - 2 * GREETING_NANOS);
    /** Whether a greeting is due: it greets every newcomer heard until it goes out. */
    private final AtomicBoolean greetingDue = new AtomicBoolean();
    /** When we began to listen (System.nanoTime()), once we did; see {@link #peers()}. */
    private volatile long listeningSince;

    /** A TCP port taking offers on one endpoint, and the socket announcing it. */
    private record Offers(Endpoint endpoint, ServerSocket server, MulticastSocket sender) {
    }

    public LanLink(ProviderContext context, LanSettings settings, Timings timings) {
        this.context = context;
        this.settings = settings;
        this.timings = timings;
        this.announcing = !settings.listenOnly() && context.listed();
        this.table = new PeerTable(timings.capacity(), timings.expiry(), timings.window());
        this.inboundSlots = new Semaphore(timings.inboundSlots());
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new AtomicLong());
        }
        timer.execute(this::open);
    }

    /** How many announcements were ignored, by reason. */
    public Map<Refusal, Long> refusals() {
        Map<Refusal, Long> counts = new EnumMap<>(Refusal.class);
        refusals.forEach((r, n) -> counts.put(r, n.get()));
        return counts;
    }

    /** Whether we announce ourselves (not listen-only, and listed). */
    public boolean announcing() {
        return announcing;
    }

    /** Opens the sockets; if the network is not there (yet), says so and tries again a little later. */
    private void open() {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            endpoints = Endpoint.resolve(settings.interfaces());
            if (endpoints.isEmpty()) {
                throw new IOException("No network interface that supports multicast is up.");
            }
            InetAddress group = InetAddress.getByName(settings.group()); // a literal: LanSettings checks
            // Bound to the group, so only its datagrams arrive; joined on our interfaces alone.
            MulticastSocket receiver = new MulticastSocket(null);
            opened.add(receiver);
            receiver.setReuseAddress(true);
            receiver.bind(new InetSocketAddress(group, settings.port()));
            for (Endpoint e : endpoints) {
                receiver.joinGroup(new InetSocketAddress(group, 0), e.nif());
            }
            List<Offers> ports = new ArrayList<>();
            if (announcing) {
                for (Endpoint e : endpoints) {
                    ServerSocket server = new ServerSocket();
                    opened.add(server);
                    server.bind(new InetSocketAddress(e.address(), 0), 50);
                    MulticastSocket sender = new MulticastSocket(new InetSocketAddress(e.address(), 0));
                    opened.add(sender);
                    sender.setNetworkInterface(e.nif());
                    sender.setTimeToLive(1); // the local network only
                    sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // other clients on this computer
                    ports.add(new Offers(e, server, sender));
                }
            }
            open.addAll(opened);
            if (closed) { // closed meanwhile: close() may have missed these
                opened.forEach(LanLink::close);
                return;
            }
            listeningSince = System.nanoTime();
            Thread.ofPlatform().name("lan announcements").daemon().start(() -> receive(receiver));
            for (Offers o : ports) {
                offerPorts.add(o);
                Thread.ofPlatform().name("lan offers " + o.endpoint()).daemon().start(() -> acceptOffers(o.server()));
            }
            if (announcing) {
                this.group = group;
                announce(group); // before we say we are online, so that "online" means "announced"
                timer.scheduleWithFixedDelay(() -> announce(group), timings.announceEvery().toMillis(),
                        timings.announceEvery().toMillis(), TimeUnit.MILLISECONDS);
            }
            timer.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
            String where = endpoints.stream().map(Endpoint::toString).reduce((a, b) -> a + ", " + b).orElse("");
            report(State.ONLINE, announcing ? "Announcing on " + where + " to " + settings.group() + ":" + settings.port() + "."
                    : "Listening only on " + where + ": others do not list you and cannot ask you to connect.");
        } catch (IOException | RuntimeException e) {
            opened.forEach(LanLink::close);
            if (!closed) {
                LOG.log(Level.WARNING, "Cannot use the local network: " + e.getMessage());
                report(State.UNREACHABLE, "Cannot use the local network: " + e.getMessage() + " Trying again every "
                        + timings.retryEvery().toSeconds() + " s.");
                timer.schedule(this::open, timings.retryEvery().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Announces to a peer heard for the first time, so that a client that just started lists us
     * within moments, not at our next round: at once, or, within a second of the last greeting, one
     * second after it; so at most once a second whatever arrives, and no newcomer goes ungreeted.
     */
    private void greet() {
        InetAddress g = group;
        if (!announcing || closed || g == null || !greetingDue.compareAndSet(false, true)) {
            return; // one is due already: it greets this newcomer too
        }
        long wait = Math.max(0, lastGreeting.get() + GREETING_NANOS - System.nanoTime());
        try {
            timer.schedule(() -> {
                lastGreeting.set(System.nanoTime()); // first: a newcomer heard from now on waits a second
                greetingDue.set(false); // a newcomer heard before the announcement below is greeted by it
                announce(g);
            }, wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
        }
    }

    private void announce(InetAddress group) {
        for (Offers o : offerPorts) {
            Announcement a = Announcement.sign(context.self(), context.displayName(), o.endpoint().address(),
                    o.server().getLocalPort(), context::sign);
            byte[] data = a.toDatagram();
            try {
                o.sender().send(new DatagramPacket(data, data.length, group, settings.port()));
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "Cannot announce on " + o.endpoint(), e);
                }
            }
        }
    }

    private void receive(MulticastSocket receiver) {
        byte[] buffer = new byte[Announcement.MAX_BYTES + 1]; // one more: an oversized datagram shows
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                receiver.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "Cannot receive announcements", e);
                    report(State.UNREACHABLE, "Cannot receive announcements: " + e.getMessage());
                }
                return;
            }
            try {
                heard(packet);
            } catch (RuntimeException e) { // never fatal: the next datagram is read
                LOG.log(Level.WARNING, "Failed on an announcement from " + packet.getAddress(), e);
            }
        }
    }

    private void heard(DatagramPacket packet) {
        try {
            limit(packet.getAddress());
            Announcement a = Announcement.parse(packet.getData(), packet.getLength());
            if (a.identity().equals(context.self())) {
                return;
            }
            if (!a.address().equals(packet.getAddress())) {
                throw new Announcement.Refused(Refusal.WRONG_SOURCE, "announces " + a.address().getHostAddress());
            }
            boolean known = table.get(a.identity().key()).isPresent();
            if (table.take(a, Instant.now())) {
                context.callback().peersChanged();
                if (!known) {
                    greet();
                }
            }
        } catch (Announcement.Refused r) {
            long n = refusals.get(r.refusal()).incrementAndGet();
            LOG.log(n <= LOUD_REFUSALS ? Level.WARNING : Level.DEBUG, "Ignored an announcement from {0} ({1}): {2}",
                    packet.getAddress().getHostAddress(), r.refusal(), r.getMessage());
        }
    }

    /**
     * Checking a signature costs far more than sending a datagram: each address gets at most
     * {@value #DATAGRAMS_PER_SECOND} looked at a second (a client sends one every few seconds), and at
     * most {@value #SOURCES_PER_SECOND} addresses are counted, so a flood costs bounded time and memory.
     */
    private void limit(InetAddress source) throws Announcement.Refused {
        Integer n = heardThisSecond.merge(source, 1, Integer::sum);
        if (heardThisSecond.size() > SOURCES_PER_SECOND) {
            heardThisSecond.remove(source, n);
            throw new Announcement.Refused(Refusal.RATE_LIMITED, "datagrams from more than " + SOURCES_PER_SECOND
                    + " addresses this second");
        }
        if (n > DATAGRAMS_PER_SECOND) {
            throw new Announcement.Refused(Refusal.RATE_LIMITED, "more than " + DATAGRAMS_PER_SECOND
                    + " datagrams this second");
        }
    }

    private void expire() {
        heardThisSecond.clear();
        if (table.expire(Instant.now())) {
            context.callback().peersChanged();
        }
    }

    private void acceptOffers(ServerSocket server) {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "Cannot take offers on " + server.getLocalSocketAddress(), e);
                }
                return;
            }
            if (!inboundSlots.tryAcquire()) {
                LOG.log(Level.WARNING, "Refused a connection from {0}: already {1} offers pending",
                        socket.getInetAddress(), timings.inboundSlots());
                close(socket);
                continue;
            }
            open.add(socket);
            Thread.ofVirtual().name("lan offer from " + socket.getInetAddress()).start(() -> {
                try {
                    takeOffer(socket);
                } finally {
                    inboundSlots.release(); // first: once the requester sees the connection end, the slot is free
                    open.remove(socket);
                    close(socket);
                }
            });
        }
    }

    private void takeOffer(Socket socket) {
        LanInboundOffer offer;
        InputStream in;
        try {
            socket.setSoTimeout(OFFER_READ_MILLIS);
            in = new BufferedInputStream(socket.getInputStream());
            OfferWire wire = OfferWire.read(in, "offer");
            PublicIdentity key = wire.from();
            PeerAddress from = table.get(key.key())
                    .map(e -> address(e))
                    .orElse(new PeerAddress(LanSettings.SECTION, key.key(), wire.name(), SCOPE, Optional.of(key),
                            Instant.now()));
            offer = new LanInboundOffer(socket, from, wire, context.self(), context.displayName());
            socket.setSoTimeout((int) timings.offerPatience().toMillis());
        } catch (IOException | SignalingException e) {
            LOG.log(Level.WARNING, "Ignored an offer from {0}: {1}", socket.getInetAddress(), e.getMessage());
            try {
                OfferWire.reject(e.getMessage()).write(socket.getOutputStream());
            } catch (IOException ignored) {
            }
            return;
        }
        context.callback().offered(offer);
        if (offer.awaitEnd(in) && !closed) {
            context.callback().withdrawn(offer);
        }
    }

    @Override
    public List<ProviderStatus> status() {
        return List.of(status);
    }

    /**
     * The peers heard from lately. There is no server to ask: a client that just began to listen
     * hears the others when they greet its first announcement, or, listening only, at their next
     * round; a list asked before then is given once they had the time, not empty at once. Fails
     * saying why while the network cannot be used.
     */
    @Override
    public CompletableFuture<List<PeerAddress>> peers() {
        ProviderStatus now = status;
        if (now.state() == State.UNREACHABLE) {
            return CompletableFuture.failedFuture(new SignalingException(now.detail()));
        }
        long since = listeningSince;
        Duration patience = announcing ? GREETED_WITHIN : timings.announceEvery().plus(GREETED_WITHIN);
        long wait = since == 0 ? 0 : since + patience.toNanos() - System.nanoTime();
        if (wait <= 0) {
            return CompletableFuture.completedFuture(heardNow());
        }
        return CompletableFuture.supplyAsync(this::heardNow, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS));
    }

    private List<PeerAddress> heardNow() {
        table.expire(Instant.now());
        return table.entries().stream().map(LanLink::address).toList();
    }

    /** A key, or a fingerprint (with or without its spaces), of a peer heard now. */
    @Override
    public Optional<PeerAddress> address(String text) {
        String t = text == null ? "" : text.strip();
        String hex = t.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        return table.entries().stream().filter(e -> e.announcement().identity().key().equals(t)
                || e.announcement().identity().fingerprint().replace(" ", "").equals(hex) && isHex(hex))
                .findFirst().map(LanLink::address);
    }

    private static boolean isHex(String s) {
        try {
            HexFormat.of().parseHex(s);
            return !s.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PeerAddress address(PeerTable.Entry e) {
        Announcement a = e.announcement();
        return new PeerAddress(LanSettings.SECTION, a.identity().key(), a.name(), SCOPE, Optional.of(a.identity()),
                e.heard());
    }

    @Override
    public OutboundExchange send(PeerAddress to, SignedDescription offer, boolean reconnect) {
        Optional<PeerTable.Entry> entry = table.get(to.id());
        if (entry.isEmpty()) {
            return OutboundExchange.failed(new SignalingException(to.shown() + " is not announcing on the local network"
                    + " now (gone, or listening only)."));
        }
        Announcement a = entry.get().announcement();
        CompletableFuture<PeerAnswer> answer = new CompletableFuture<>();
        Socket socket = new Socket();
        open.add(socket);
        answer.whenComplete((x, e) -> { // done, failed or cancelled: a cancel withdraws the offer
            open.remove(socket);
            close(socket);
        });
        Thread.ofVirtual().name("lan offer to " + a.address()).start(() -> {
            try {
                Optional<Endpoint> local = endpoints.stream().filter(e -> e.reaches(a.address())).findFirst();
                socket.bind(new InetSocketAddress(local.map(Endpoint::address)
                        .orElse(endpoints.isEmpty() ? null : endpoints.get(0).address()), 0));
                socket.connect(new InetSocketAddress(a.address(), a.port()), CONNECT_MILLIS);
                socket.setSoTimeout((int) timings.offerPatience().plusSeconds(15).toMillis());
                OfferWire.offer(context.self(), context.displayName(), offer, reconnect).write(socket.getOutputStream());
                OfferWire reply = OfferWire.read(new BufferedInputStream(socket.getInputStream()), "answer");
                if (reply.type().equals("reject")) {
                    answer.completeExceptionally(new SignalingException(to.shown() + " declined"
                            + (reply.reason().isEmpty() ? "." : ": " + reply.reason())));
                } else if (!reply.from().equals(a.identity())) {
                    answer.completeExceptionally(new SignalingException("The answer at " + a.address().getHostAddress()
                            + " came from another key than " + to.shown() + " announced."));
                } else {
                    answer.complete(new PeerAnswer(address(entry.get()), reply.description()));
                }
            } catch (SignalingException e) {
                answer.completeExceptionally(e);
            } catch (IOException e) {
                answer.completeExceptionally(new SignalingException(closed ? "The connection method stopped."
                        : "No answer from " + to.shown() + " at " + a.address().getHostAddress() + ":" + a.port()
                                + ": " + e.getMessage(), e));
            }
        });
        return new OutboundExchange() {
            @Override
            public CompletableFuture<PeerAnswer> answer() {
                return answer;
            }

            @Override
            public void candidates(Consumer<IceCandidate> sink) { // descriptions carry their candidates
            }
        };
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        open.forEach(LanLink::close);
        open.clear();
        report(State.CLOSED, "");
    }

    private void report(State state, String detail) {
        status = new ProviderStatus(SCOPE, state, state == State.ONLINE && announcing ? context.self().key() : "", detail);
        context.callback().statusChanged(List.of(status));
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
        }
    }
}
