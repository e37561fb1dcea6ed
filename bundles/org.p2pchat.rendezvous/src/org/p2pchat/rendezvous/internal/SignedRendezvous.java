package org.p2pchat.rendezvous.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.p2pchat.core.text.DisplayNames;
import org.p2pchat.rendezvous.RendezvousLimits;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The state of the authenticated API ({@code /v1}): peers addressed by their identity key, one
 * mailbox per peer, and at most one waiting fetch per peer. A namespace of its own: legacy peers
 * ({@link Rendezvous}) cannot be reached from here, nor these from there.
 *
 * <p>A peer's mailbox and waiting fetch change only under the lock of its {@link Member}, and a
 * signal is taken from a mailbox only under it, so each signal is delivered by exactly one fetch.
 * Locks are held briefly and never while waiting: a waiting fetch is a future that the signal,
 * the timeout or the close completes; it holds no thread.
 *
 * <p>Listed peers are also kept in a map sorted by id, changed under the member's lock with its
 * listing, so that a page of the directory costs O(log n + page) however large the directory is.
 */
final class SignedRendezvous {

    /** The signal types of the authenticated API. */
    static final Set<String> SIGNAL_TYPES = Set.of("offer", "answer", "ice-candidate", "reconnect-offer",
            "reconnect-answer", "reject", "cancel");
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_WAIT_SECONDS = 30;
    static final int DEFAULT_PAGE_PEERS = 200;
    static final int MAX_PAGE_PEERS = 1000;

    /** The fixed parts of a directory page, {@code {"peers":[{"id":..,"name":..,"lastSeen":..},...],"next":..}}. */
    private static final byte[] PAGE_START = ascii("{\"peers\":[");
    private static final byte[] PAGE_NEXT = ascii("],\"next\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] ENTRY_ID = ascii("{\"id\":");
    private static final byte[] ENTRY_NAME = ascii(",\"name\":");
    private static final byte[] ENTRY_LAST_SEEN = ascii(",\"lastSeen\":");

    /**
     * A registered peer. Kept small (a directory may hold 100,000s): name, listing and last-seen
     * time are read without the lock (volatile); the queue is allocated only while signals wait.
     */
    private static final class Member {
        final String id;
        volatile String name;
        volatile boolean listed;
        volatile long lastSeen;
        /** Queued signals, oldest first; null when there are none. Guarded by this. */
        ArrayDeque<Signal> queue;
        /** The waiting fetch, completed to wake it; null if none waits. Written under the lock. */
        volatile CompletableFuture<Void> waiter;
        /** The client address of the waiting fetch, whose share of the pool it holds. Guarded by this. */
        String waiterAddress;
        /** Set under the lock when the peer leaves the directory; the object is then dead. */
        volatile boolean removed;
        /** The peer's session, if its registration opened one; changed under the lock. */
        volatile Session session;
        /**
         * While listed: the start of its entry in a directory page, {@code {"id":...,"name":...,"lastSeen":}
         * as UTF-8, made when it is listed or renamed, so that a page is a copy of bytes. Guarded by this.
         */
        volatile byte[] listing;

        Member(String id, String name, boolean listed, long now) {
            this.id = id;
            this.name = name;
            this.listed = listed;
            this.lastSeen = now;
        }
    }

    /**
     * A queued signal; {@code charge} is what it holds of the {@link SignalBudget}, from
     * {@code account}'s share. Sender id and name are the sender's own strings, not copies.
     */
    private record Signal(long sequence, String from, String fromName, String type, String payload, long timestamp,
            int charge, SignalBudget.Account account) {
    }

    private final RendezvousLimits limits;
    private final LongSupplier clock;
    private final SignalBudget budget;
    private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
    /** The listed members by id; a member is here while it is listed and not removed (expired ones until swept). */
    private final ConcurrentSkipListMap<String, Member> listedById = new ConcurrentSkipListMap<>();
    /** The members with a session, by session id; an entry goes with its member's registration. */
    private final ConcurrentHashMap<String, Member> bySession = new ConcurrentHashMap<>();
    private final AtomicLong signalSequence = new AtomicLong();
    private final AtomicInteger waitingFetches = new AtomicInteger();
    /** Waiting fetches per client address (its share of the pool); an entry goes when its count does. */
    private final ConcurrentHashMap<String, Integer> waitingByAddress = new ConcurrentHashMap<>();
    private volatile boolean closing;

    SignedRendezvous(RendezvousLimits limits, LongSupplier clock, SignalBudget budget) {
        this.limits = limits;
        this.clock = clock;
        this.budget = budget;
    }

    private long now() {
        return clock.getAsLong();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code POST /v1/register} by {@code id}: adds or refreshes the peer. A {@code session} (from a
     * signed registration with a {@code sessionKey}) replaces the peer's session; null keeps it.
     */
    void register(String id, JsonObject body, Session session) throws ApiException {
        rejectForgedSender(id, body);
        String name = name(body.get("name"));
        boolean listed = listed(body.get("listed"));
        long now = now();
        while (true) {
            Member member = members.get(id);
            if (member == null) {
                // A soft bound: concurrent first registrations may overshoot it by the number of threads.
                if (members.size() >= limits.maxPeers()) {
                    sweep();
                    if (members.size() >= limits.maxPeers()) {
                        throw new ApiException(503, "the peer directory is full (" + limits.maxPeers()
                                + " peers); retry later");
                    }
                }
                Member added = new Member(id, name, listed, now);
                member = members.putIfAbsent(id, added);
                if (member == null) {
                    synchronized (added) {
                        // Unless an unregister already took it out again.
                        if (!added.removed) {
                            index(added, true);
                            attach(added, session);
                        }
                    }
                    return;
                }
            }
            synchronized (member) {
                if (!member.removed) {
                    boolean renamed = !name.equals(member.name);
                    member.name = name;
                    member.listed = listed;
                    member.lastSeen = now;
                    index(member, renamed);
                    attach(member, session);
                    return;
                }
            }
            members.remove(id, member); // left the directory meanwhile: register anew
        }
    }

    /**
     * The session with this id if its peer is registered and not expired at {@code now}; null
     * otherwise (unknown, replaced, unregistered or expired, even before a sweep).
     */
    Session liveSession(String sessionId, long now) {
        Member member = bySession.get(sessionId);
        if (member == null) {
            return null;
        }
        Session session = member.session;
        if (session == null || !session.id().equals(sessionId) || member.removed || expired(member, now)) {
            return null;
        }
        return session;
    }

    /** {@code DELETE /v1/register} by {@code id}: the peer and its queued signals are gone. */
    void unregister(String id) {
        Member member = members.remove(id);
        if (member != null) {
            synchronized (member) {
                remove(member);
            }
        }
    }

    /**
     * Whether {@code id} is a registered peer, not expired at {@code now}: only such keys may make
     * requests other than a registration (so that unregistered keys cannot fill the nonce memory).
     */
    boolean isRegistered(String id, long now) {
        Member member = members.get(id);
        return member != null && !member.removed && !expired(member, now);
    }

    /** Whether {@code id} is registered, not expired at {@code now}, and listed in the directory. */
    boolean isListed(String id, long now) {
        Member member = members.get(id);
        return member != null && member.listed && !member.removed && !expired(member, now);
    }

    /**
     * {@code POST /v1/signal} by {@code from}, sent from the client address {@code senderAddress} (whose
     * share of the budget it is charged to): queues a signal for its recipient; returns the signal id.
     */
    String signal(String from, JsonObject body, InetAddress senderAddress) throws ApiException {
        rejectForgedSender(from, body);
        String to = requiredString(body, "to");
        String type = requiredString(body, "type");
        String payload = requiredString(body, "payload");
        String knownType = Json.canonical(SIGNAL_TYPES, type);
        if (knownType == null) {
            throw new ApiException(400, "type must be one of offer, answer, ice-candidate, reconnect-offer,"
                    + " reconnect-answer, reject, cancel; was \"" + Json.excerpt(type) + "\"");
        }
        long now = now();
        Member sender = members.get(from);
        if (sender == null || sender.removed || expired(sender, now)) {
            throw notRegistered();
        }
        Member recipient = members.get(to);
        if (recipient == null) {
            throw recipientNotFound(to);
        }
        int charge = SignalBudget.OVERHEAD_BYTES + SignalBudget.retained(payload);
        Signal signal = new Signal(signalSequence.incrementAndGet(), sender.id, sender.name, knownType, payload, now,
                charge, budget.reserve(senderAddress, charge));
        synchronized (recipient) {
            if (recipient.removed || expired(recipient, now)) {
                budget.release(signal.account(), signal.charge());
                throw recipientNotFound(to);
            }
            dropExpired(recipient, now);
            if (recipient.queue == null) {
                recipient.queue = new ArrayDeque<>(4);
            } else if (recipient.queue.size() >= limits.maxSignalsPerPeer()) {
                budget.release(signal.account(), signal.charge());
                // As in the legacy API: keep the oldest (the offer the later candidates need) and
                // refuse the newest, so the sender knows it was not queued.
                throw new ApiException(429, "the recipient already has " + limits.maxSignalsPerPeer()
                        + " queued signals; retry after it fetches them");
            }
            recipient.queue.addLast(signal);
            if (recipient.waiter != null) {
                recipient.waiter.complete(null);
            }
        }
        return signalId(signal.sequence());
    }

    /**
     * {@code GET /v1/signals?wait=N} by {@code id} from the client address {@code client}: the
     * queued signals, removed from the queue. If none is queued, the answer waits up to
     * {@code waitSeconds} for one, holding a place of the pool of waiting fetches and of the
     * address's share of it; a newer fetch by the same peer ends this one with {@code []}. The wait
     * holds no thread: the answer completes on {@code executor} when a signal arrives, the wait ends
     * or the service closes (503 then, as an {@link ApiException} cause).
     */
    CompletableFuture<byte[]> fetch(String id, int waitSeconds, InetAddress client, Executor executor)
            throws ApiException {
        Member member = members.get(id);
        if (member == null) {
            throw notRegistered();
        }
        CompletableFuture<Void> waiter;
        ArrayDeque<Signal> ready = null;
        synchronized (member) {
            long now = now();
            if (member.removed || expired(member, now)) {
                throw notRegistered();
            }
            member.lastSeen = now;
            endWait(member);
            dropExpired(member, now);
            if (member.queue != null || waitSeconds == 0) {
                ready = take(member);
                waiter = null;
            } else if (closing) {
                throw shuttingDown();
            } else {
                String address = RateLimiter.addressKey(client);
                if (!holdWaitingPlace(address)) {
                    throw new ApiException(429, "fetches from this address hold their maximum of "
                            + limits.maxWaitingFetchesPerAddress() + " waiting fetches; retry later or fetch with wait=0");
                }
                if (waitingFetches.incrementAndGet() > limits.maxWaitingFetches()) {
                    waitingFetches.decrementAndGet();
                    freeWaitingPlace(address);
                    throw new ApiException(503, "the service holds its maximum of " + limits.maxWaitingFetches()
                            + " waiting fetches; retry later or fetch with wait=0");
                }
                waiter = new CompletableFuture<>();
                member.waiter = waiter;
                member.waiterAddress = address;
            }
        }
        if (waiter == null) {
            return CompletableFuture.completedFuture(write(ready)); // outside the lock: the answer may be large
        }
        // Completed by a signal (under the member's lock), a newer fetch, the peer's removal, the
        // close, or the timeout; the answer is made on the executor, outside any lock.
        return waiter.completeOnTimeout(null, waitSeconds, TimeUnit.SECONDS)
                .thenApplyAsync(ignored -> endOfWait(member, waiter), executor);
    }

    /** The answer of a waiting fetch once its wait is over. */
    private byte[] endOfWait(Member member, CompletableFuture<Void> waiter) {
        ArrayDeque<Signal> taken;
        synchronized (member) {
            if (member.waiter != waiter) {
                // A newer fetch, the peer's removal or the server's close ended this wait.
                taken = null;
            } else {
                endWait(member);
                member.lastSeen = now();
                taken = take(member);
            }
        }
        if (taken == null && closing) {
            throw new CompletionException(shuttingDown());
        }
        return write(taken);
    }

    /**
     * {@code GET /v1/peers?limit=N&after=ID}: up to {@code limit} listed peers with ids after
     * {@code after} (all if null) in id order, {@code {"peers": [{id, name, lastSeen}], "next": id}};
     * {@code next} is the last id of the page if more listed peers follow, else null.
     */
    byte[] listedPeersPage(String after, int limit) {
        long now = now();
        ConcurrentNavigableMap<String, Member> from = after == null ? listedById : listedById.tailMap(after, false);
        ByteArrayOutputStream page = new ByteArrayOutputStream(64 + 128 * Math.min(limit, 64));
        page.writeBytes(PAGE_START);
        int count = 0;
        String last = null;
        boolean more = false;
        // Expired peers are passed over until the sweep (every few seconds) takes them out of the map.
        for (Member member : from.values()) {
            byte[] listing = member.listing;
            long lastSeen = member.lastSeen;
            if (listing == null || !member.listed || member.removed || expired(member, now)) {
                continue;
            }
            if (count == limit) {
                more = true;
                break;
            }
            if (count++ > 0) {
                page.write(',');
            }
            page.writeBytes(listing);
            page.writeBytes(Long.toString(lastSeen).getBytes(StandardCharsets.US_ASCII));
            page.write('}');
            last = member.id;
        }
        page.writeBytes(PAGE_NEXT);
        page.writeBytes(more ? Json.quoted(last) : NULL);
        page.write('}');
        return page.toByteArray();
    }

    /** {@code GET /v1/peers/<id>}: a registered peer, listed or not; 404 otherwise. */
    byte[] peerJson(String id) throws ApiException {
        Member member = members.get(id);
        if (member == null || member.removed || expired(member, now())) {
            throw new ApiException(404, "no peer with id \"" + Json.excerpt(id) + "\" is registered");
        }
        String name = member.name;
        long lastSeen = member.lastSeen;
        return Json.write(out -> out.beginObject().name("id").value(member.id).name("name").value(name)
                .name("lastSeen").value(lastSeen).endObject());
    }

    /** Drops expired peers (unless a fetch of theirs waits) and expired signals. */
    void sweep() {
        long now = now();
        for (Member member : members.values()) {
            boolean gone;
            synchronized (member) {
                dropExpired(member, now);
                gone = !member.removed && expired(member, now);
                if (gone) {
                    remove(member);
                }
            }
            if (gone) {
                members.remove(member.id, member);
            }
        }
    }

    /** Ends every waiting fetch (with 503) and refuses new waits: the server is stopping. */
    void close() {
        closing = true;
        for (Member member : members.values()) {
            synchronized (member) {
                endWait(member);
            }
        }
    }

    int size() {
        return members.size();
    }

    int waitingFetches() {
        return waitingFetches.get();
    }

    SignalBudget budget() {
        return budget;
    }

    int sessions() {
        return bySession.size();
    }

    private boolean expired(Member member, long now) {
        // A waiting fetch keeps its peer present: it is there, listening.
        return now - member.lastSeen > limits.peerTtlMillis() && member.waiter == null;
    }

    /**
     * Puts the member in the sorted listing or takes it out, as its listing says, with its page
     * entry made anew if it was {@code renamed}; the caller holds its lock.
     */
    private void index(Member member, boolean renamed) {
        if (!member.listed) {
            member.listing = null;
        } else if (member.listing == null || renamed) {
            member.listing = listing(member.id, member.name);
        }
        // Under the id's entry in members: a member just replaced there (unregistered, then
        // registered anew) must not overwrite its successor's place in the listing.
        members.computeIfPresent(member.id, (id, current) -> {
            if (current == member && member.listed) {
                listedById.put(id, member);
            } else {
                listedById.remove(id, member);
            }
            return current;
        });
    }

    /** Gives the member its new session, ending the one it had; the caller holds its lock. */
    private void attach(Member member, Session session) {
        if (session == null) {
            return;
        }
        Session old = member.session;
        if (old != null) {
            bySession.remove(old.id(), member);
        }
        member.session = session;
        bySession.put(session.id(), member);
    }

    /** Takes the member out of service; the caller holds its lock and removes it from the map. */
    private void remove(Member member) {
        member.removed = true;
        listedById.remove(member.id, member);
        Session session = member.session;
        if (session != null) {
            bySession.remove(session.id(), member);
            member.session = null;
        }
        endWait(member);
        take(member);
    }

    /** Wakes the member's waiting fetch, if any, and frees its slot; the caller holds the lock. */
    private void endWait(Member member) {
        if (member.waiter != null) {
            member.waiter.complete(null);
            member.waiter = null;
            waitingFetches.decrementAndGet();
            freeWaitingPlace(member.waiterAddress);
            member.waiterAddress = null;
        }
    }

    /** Takes a place of {@code address}'s share of waiting fetches; false if it holds its share. */
    private boolean holdWaitingPlace(String address) {
        boolean[] held = new boolean[1];
        waitingByAddress.compute(address, (key, count) -> {
            int n = count == null ? 0 : count;
            if (n >= limits.maxWaitingFetchesPerAddress()) {
                return count;
            }
            held[0] = true;
            return n + 1;
        });
        return held[0];
    }

    private void freeWaitingPlace(String address) {
        waitingByAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Empties the member's queue and gives its room back; the caller holds the lock. */
    private ArrayDeque<Signal> take(Member member) {
        ArrayDeque<Signal> queue = member.queue;
        member.queue = null;
        if (queue != null) {
            for (Signal s : queue) {
                budget.release(s.account(), s.charge());
            }
        }
        return queue;
    }

    private void dropExpired(Member member, long now) {
        ArrayDeque<Signal> queue = member.queue;
        if (queue == null) {
            return;
        }
        while (!queue.isEmpty() && now - queue.peekFirst().timestamp() > limits.v1SignalTtlMillis()) {
            Signal expired = queue.removeFirst();
            budget.release(expired.account(), expired.charge());
        }
        if (queue.isEmpty()) {
            member.queue = null;
        }
    }

    private static byte[] write(ArrayDeque<Signal> signals) {
        if (signals == null) {
            return new byte[] {'[', ']'};
        }
        return Json.write(out -> {
            out.beginArray();
            for (Signal s : signals) {
                out.beginObject().name("id").value(signalId(s.sequence())).name("from").value(s.from())
                        .name("fromName").value(s.fromName()).name("type").value(s.type())
                        .name("payload").value(s.payload()).name("timestamp").value(s.timestamp()).endObject();
            }
            out.endArray();
        });
    }

    /** The start of a peer's entry in a directory page, up to its {@code lastSeen} value. */
    private static byte[] listing(String id, String name) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream(48 + id.length() + name.length());
        entry.writeBytes(ENTRY_ID);
        entry.writeBytes(Json.quoted(id));
        entry.writeBytes(ENTRY_NAME);
        entry.writeBytes(Json.quoted(name));
        entry.writeBytes(ENTRY_LAST_SEEN);
        return entry.toByteArray();
    }

    private static String signalId(long sequence) {
        return Long.toString(sequence, 36);
    }

    /** 403 if the body names a sender ({@code from}) other than the signer. */
    private static void rejectForgedSender(String signer, JsonObject body) throws ApiException {
        JsonElement from = body.get("from");
        if (from == null) {
            return;
        }
        if (!from.isJsonPrimitive() || !from.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, "from must be a JSON string (the signer's key) or left out, was "
                    + Json.kind(from));
        }
        if (!from.getAsString().equals(signer)) {
            throw new ApiException(403, "forged sender: from is not the key that signed the request");
        }
    }

    private static String name(JsonElement value) throws ApiException {
        String required = "name is required: a non-empty string of at most " + MAX_NAME_LENGTH + " characters";
        if (value == null || value.isJsonNull()) {
            throw new ApiException(400, required);
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, "name must be a JSON string, was " + Json.kind(value));
        }
        String name = value.getAsString();
        if (name.isEmpty()) {
            throw new ApiException(400, required);
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new ApiException(400, "name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, "name must not contain control characters (line breaks, tabs, ...)");
        }
        // Shown to everyone: cleaned of direction overrides and invisible characters.
        String cleaned = DisplayNames.clean(name);
        if (cleaned.isEmpty()) {
            throw new ApiException(400, "name has no visible character");
        }
        return cleaned;
    }

    private static boolean listed(JsonElement value) throws ApiException {
        if (value == null || value.isJsonNull()) {
            return false;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new ApiException(400, "listed must be true or false, was " + Json.kind(value));
        }
        return value.getAsBoolean();
    }

    private static String requiredString(JsonObject body, String field) throws ApiException {
        JsonElement value = body.get(field);
        if (value == null || value.isJsonNull()) {
            throw new ApiException(400, "missing required field " + field + " (required: to, type, payload)");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, field + " must be a JSON string, was " + Json.kind(value));
        }
        String text = value.getAsString();
        if (text.isEmpty()) {
            throw new ApiException(400, field + " must not be empty");
        }
        return text;
    }

    private static ApiException notRegistered() {
        return new ApiException(409, "the signing key is not registered (or its registration expired);"
                + " POST /v1/register first");
    }

    private static ApiException recipientNotFound(String to) {
        return new ApiException(404, "no peer with id \"" + Json.excerpt(to) + "\" is registered");
    }

    private static ApiException shuttingDown() {
        return new ApiException(503, "the service is shutting down");
    }
}
