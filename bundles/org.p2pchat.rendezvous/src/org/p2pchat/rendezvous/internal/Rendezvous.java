package org.p2pchat.rendezvous.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

import org.p2pchat.core.text.DisplayNames;
import org.p2pchat.rendezvous.RendezvousLimits;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonWriter;

/**
 * The state of the legacy rendezvous API: the peer directory and one mailbox of signals per
 * recipient (a namespace of its own: {@code /v1} peers live in {@link SignedRendezvous}). Thread-safe: peers live in a concurrent map, and every change to a mailbox happens
 * inside {@link ConcurrentHashMap#compute} (or its atomic {@code remove}), so a signal is either
 * delivered by exactly one fetch or still queued.
 */
public final class Rendezvous {

    /** The signal types the original web client sends. */
    public static final Set<String> SIGNAL_TYPES =
            Set.of("offer", "answer", "ice-candidate", "reconnect-offer", "reconnect-answer");

    private static final String REGISTER_MISSING = "Peer ID and name are required";
    private static final String SIGNAL_MISSING = "Missing required fields: from, to, type, payload";

    /**
     * A peer of the web app's API; {@code twinOf} is the identity key of a client of ours that is
     * registered on {@code /v1} and present here for web app users (its "legacy twin"), else null.
     */
    record Peer(String peerId, String name, long lastSeen, String twinOf) {
    }

    /** Seen earlier first; ties by id, so that which peers make a capped list does not depend on chance. */
    private static final Comparator<Peer> LEAST_RECENT_FIRST =
            Comparator.comparingLong(Peer::lastSeen).thenComparing(Peer::peerId, Comparator.reverseOrder());

    /**
     * A queued signal. The payload is kept as its compact JSON text (what the fetch answers), not as
     * a parsed tree: a 64 KiB array of zeros parses into some 2.7 MB of objects. {@code charge} is
     * what it holds of the {@link SignalBudget}, from {@code account}'s share.
     */
    record Signal(String from, String to, String type, String payloadJson, long timestamp, int charge,
            SignalBudget.Account account) {
    }

    private final RendezvousLimits limits;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ArrayDeque<Signal>> mailboxes = new ConcurrentHashMap<>();
    private final SignalBudget budget;
    private final AtomicLong directoryVersion = new AtomicLong();
    private final PeerListCache peerList;
    /** Whether an identity key is registered, alive and listed on {@code /v1}, at a time. */
    private final BiPredicate<String, Long> listedOnV1;
    /** The newest twin's peer id of each key that has one. */
    private final ConcurrentHashMap<String, String> twins = new ConcurrentHashMap<>();

    Rendezvous(RendezvousLimits limits, LongSupplier clock, SignalBudget budget) {
        this(limits, clock, budget, (key, now) -> false);
    }

    /**
     * @param listedOnV1 whether a key is registered, alive and listed on {@code /v1} at a time: a twin
     *                   is listed only while its client is
     */
    Rendezvous(RendezvousLimits limits, LongSupplier clock, SignalBudget budget, BiPredicate<String, Long> listedOnV1) {
        this.limits = limits;
        this.clock = clock;
        this.budget = budget;
        this.listedOnV1 = listedOnV1;
        this.peerList = new PeerListCache(directoryVersion::get, limits.peerListMaxAgeMillis(), this::writePeers);
    }

    public RendezvousLimits limits() {
        return limits;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** {@code POST /register}: adds or refreshes a peer. */
    public String register(JsonObject body) throws ApiException {
        String peerId = Json.requiredString(body, "peerId", REGISTER_MISSING, limits.maxIdLength());
        // Shown to everyone: cleaned of direction overrides and invisible characters (accepted as before).
        String name = DisplayNames.clean(Json.requiredString(body, "name", REGISTER_MISSING, limits.maxIdLength()));
        long now = now();
        // A soft bound: concurrent first registrations may overshoot it by the number of threads.
        if (!peers.containsKey(peerId) && peers.size() >= limits.maxPeers()) {
            sweep();
            if (peers.size() >= limits.maxPeers()) {
                // Server-wide capacity, not the client's fault: 503 with Retry-After (HttpFront).
                throw new ApiException(503, "the peer directory is full (" + limits.maxPeers()
                        + " peers); retry later");
            }
        }
        String twinOf = twinOf(body);
        peers.put(peerId, new Peer(peerId, name, now, twinOf));
        if (twinOf != null) {
            // One twin per client: a client that starts again registers a new id, and the old one
            // would be listed beside it until it expired.
            String older = twins.put(twinOf, peerId);
            if (older != null && !older.equals(peerId)) {
                peers.computeIfPresent(older, (id, p) -> twinOf.equals(p.twinOf()) ? null : p);
            }
        }
        directoryVersion.incrementAndGet();
        return peerId;
    }

    /**
     * The optional {@code twinOf} of a registration: our clients name the identity key they are
     * registered with on {@code /v1} (the web app sends none). Anything but a string is ignored, as
     * the original ignores members it does not know.
     */
    private String twinOf(JsonObject body) {
        JsonElement value = body.get("twinOf");
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            return null;
        }
        String key = value.getAsString();
        return key.isEmpty() || key.length() > limits.maxIdLength() ? null : key;
    }

    /**
     * {@code POST /signal}: queues a signal for its recipient; returns the signal id.
     *
     * @param requestBody the request's JSON body
     * @param sender      the client address it came from, whose share of the budget it is charged to
     */
    public String signal(byte[] requestBody, InetAddress sender) throws ApiException {
        SignalBody parsed = SignalBody.parse(requestBody);
        JsonObject body = parsed.members();
        int maxId = limits.maxIdLength();
        String from = Json.requiredString(body, "from", SIGNAL_MISSING, maxId);
        String to = Json.requiredString(body, "to", SIGNAL_MISSING, maxId);
        String type = Json.requiredString(body, "type", SIGNAL_MISSING, maxId);
        JsonElement payload = payload(body.get("payload"));
        String payloadJson = parsed.payloadJson() != null ? parsed.payloadJson() : Json.compact(payload);
        // The constant itself, so that a queued signal holds no copy of it.
        String knownType = Json.canonical(SIGNAL_TYPES, type);
        if (knownType == null) {
            throw new ApiException(400, "type must be one of offer, answer, ice-candidate, reconnect-offer,"
                    + " reconnect-answer; was \"" + type + "\"");
        }
        long now = now();
        int charge = SignalBudget.OVERHEAD_BYTES + SignalBudget.retained(from) + SignalBudget.retained(to)
                + SignalBudget.retained(payloadJson);
        Signal signal = new Signal(from, to, knownType, payloadJson, now, charge, budget.reserve(sender, charge));
        boolean[] full = new boolean[1];
        mailboxes.compute(to, (key, queue) -> {
            ArrayDeque<Signal> q = queue != null ? queue : new ArrayDeque<>();
            dropExpired(q, now);
            if (q.size() >= limits.maxSignalsPerPeer()) {
                full[0] = true;
            } else {
                q.addLast(signal);
            }
            return q.isEmpty() ? null : q;
        });
        if (full[0]) {
            budget.release(signal.account(), signal.charge());
            // Keep the oldest, refuse the newest: the oldest signals of a connection attempt are the
            // offer/answer that the later ICE candidates need, and a refusal tells the sender that
            // this signal was not queued instead of dropping an older one silently. 429 because the
            // condition clears as soon as the recipient fetches.
            throw new ApiException(429, "the recipient " + to + " already has " + limits.maxSignalsPerPeer()
                    + " queued signals; retry after it fetches them");
        }
        // The original's id: from-to-milliseconds. It is informational here (signals are queued by
        // value, not looked up by id), so two signals in the same millisecond cannot overwrite each
        // other as they could in the original's map.
        return from + "-" + to + "-" + now;
    }

    /** {@code GET /signal/:peerId}: the queued signals for that peer, removed from the queue. */
    public byte[] takeSignals(String peerId) {
        ArrayDeque<Signal> queue = mailboxes.remove(peerId);
        long now = now();
        if (queue != null) {
            for (Signal s : queue) {
                budget.release(s.account(), s.charge());
            }
            dropExpiredUncounted(queue, now);
        }
        return Json.write(out -> {
            out.beginArray();
            if (queue != null) {
                for (Signal s : queue) {
                    // The original's shape: {from, to, type, payload, timestamp}.
                    out.beginObject().name("from").value(s.from()).name("to").value(s.to())
                            .name("type").value(s.type()).name("payload").jsonValue(s.payloadJson());
                    out.name("timestamp").value(s.timestamp()).endObject();
                }
            }
            out.endArray();
        });
    }

    /**
     * {@code GET /peers}: the cached directory, {@code [{peerId, name, lastSeen}]}, at most
     * {@link RendezvousLimits#legacyPeerListMax()} peers.
     */
    public byte[] peersJson() {
        return peerList.get(now());
    }

    int size() {
        return peers.size();
    }

    SignalBudget budget() {
        return budget;
    }

    /**
     * The directory as of {@code now}: with a cap ({@link RendezvousLimits#legacyPeerListMax()}),
     * the most recently seen peers first; without one, every peer in the map's order.
     */
    private long writePeers(JsonWriter out, long now) throws IOException {
        int max = limits.legacyPeerListMax();
        Iterable<Peer> listing = max == 0 ? peers.values() : mostRecentlySeen(max, now);
        long validUntil = Long.MAX_VALUE;
        out.beginArray();
        for (Peer peer : listing) {
            if (peer.twinOf() != null) {
                // Whether its client is still there is /v1's to say, which this cache does not
                // follow: such a listing is rebuilt as soon as it may be.
                validUntil = Math.min(validUntil, now + limits.peerListMaxAgeMillis());
            }
            if (!expired(peer, now) && !ghostTwin(peer, now)) {
                out.beginObject().name("peerId").value(peer.peerId()).name("name").value(peer.name())
                        .name("lastSeen").value(peer.lastSeen()).endObject();
                validUntil = Math.min(validUntil, peer.lastSeen() + limits.peerTtlMillis() + 1);
            }
        }
        out.endArray();
        return validUntil;
    }

    /**
     * The {@code max} live peers seen last, the latest first. A heap of {@code max} holds the best
     * so far, so a directory of n peers costs O(n log max), not the O(n log n) of sorting it all.
     */
    private List<Peer> mostRecentlySeen(int max, long now) {
        PriorityQueue<Peer> best = new PriorityQueue<>(Math.min(max, 1024) + 1, LEAST_RECENT_FIRST);
        for (Peer peer : peers.values()) {
            if (expired(peer, now)) {
                continue;
            }
            if (best.size() < max) {
                best.add(peer);
            } else if (LEAST_RECENT_FIRST.compare(peer, best.peek()) > 0) {
                best.poll();
                best.add(peer);
            }
        }
        List<Peer> latestFirst = new ArrayList<>(best);
        latestFirst.sort(LEAST_RECENT_FIRST.reversed());
        return latestFirst;
    }

    /**
     * A twin whose client left {@code /v1}, expired there, is not listed any more, or has a newer
     * twin: nobody answers there, and a web app user would see a ghost.
     */
    private boolean ghostTwin(Peer peer, long now) {
        String key = peer.twinOf();
        return key != null && (!peer.peerId().equals(twins.get(key)) || !listedOnV1.test(key, now));
    }

    private boolean expired(Peer peer, long now) {
        // The original removes a peer once now - lastSeen > 120 s.
        return now - peer.lastSeen() > limits.peerTtlMillis();
    }

    /** Drops expired peers and signals. */
    public void sweep() {
        long now = now();
        if (peers.values().removeIf(peer -> expired(peer, now))) {
            directoryVersion.incrementAndGet();
        }
        twins.entrySet().removeIf(e -> !peers.containsKey(e.getValue()));
        for (String recipient : mailboxes.keySet()) {
            mailboxes.computeIfPresent(recipient, (key, queue) -> {
                dropExpired(queue, now);
                return queue.isEmpty() ? null : queue;
            });
        }
    }

    private void dropExpired(ArrayDeque<Signal> queue, long now) {
        while (!queue.isEmpty() && now - queue.peekFirst().timestamp() > limits.signalTtlMillis()) {
            Signal expired = queue.removeFirst();
            budget.release(expired.account(), expired.charge());
        }
    }

    /** Drops expired signals from a queue already taken off the books. */
    private void dropExpiredUncounted(ArrayDeque<Signal> queue, long now) {
        while (!queue.isEmpty() && now - queue.peekFirst().timestamp() > limits.signalTtlMillis()) {
            queue.removeFirst();
        }
    }

    private static JsonElement payload(JsonElement value) throws ApiException {
        // The original accepts any truthy payload; its web client sends a JSON string. Strings,
        // objects and arrays are passed through verbatim; numbers and booleans are refused.
        if (value == null || value.isJsonNull()
                || value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() && value.getAsString().isEmpty()) {
            throw new ApiException(400, SIGNAL_MISSING);
        }
        if (value.isJsonPrimitive() && !value.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, "payload must be a JSON string (or object), was " + Json.kind(value));
        }
        return value;
    }
}
