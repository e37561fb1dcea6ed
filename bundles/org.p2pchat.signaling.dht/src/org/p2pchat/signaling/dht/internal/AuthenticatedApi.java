package org.p2pchat.signaling.dht.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.crypto.KeyAgreement;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.auth.SignedRequest;

/**
 * The service's authenticated API ({@code /v1}): our address is our identity key, the directory
 * is opt-in, and signals are pushed through a long poll. A registration is signed with the
 * identity key and opens a session (an X25519 agreement with the service); the requests after it
 * carry the session's MAC instead of a signature. When the service no longer knows the session
 * (it restarted, or our registration expired) we register again, signed, and go on; a service
 * that opens no session gets every request signed.
 * <p>
 * Every request is signed (or MAC'd) for the service's id from {@code GET /v1/info}, so it is
 * valid there only. A restarted service has a new id: on a 401 we read the id again, and sign
 * anew if it changed. When the service holds no long poll for us (503, or 429 for our address)
 * we poll with {@code wait=0} every {@link DhtTimings#legacyPollInterval()} and try a long poll
 * again every {@link #LONG_POLL_RETRY}, instead of backing off: signals keep arriving within a
 * second or two.
 */
final class AuthenticatedApi implements RendezvousApi {

    private static final System.Logger LOG = System.getLogger(AuthenticatedApi.class.getName());
    /** The X.509 encoding of an X25519 public key: this fixed header, then the raw 32 bytes. */
    private static final byte[] X25519_X509_HEADER = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Our session on the service: its id and the MAC key we derived. */
    private record Session(String id, byte[] macKey) {
    }

    static final String INFO_ROUTE = "/v1/info";
    static final String TURN_ROUTE = "/v1/turn";
    static final String API_NAME = "p2pchat-rendezvous";
    /** While polling for want of a long poll: how long until we ask for a long poll again. */
    static final Duration LONG_POLL_RETRY = Duration.ofSeconds(15);
    /** Listed peers asked for per request of the directory (the service allows up to 1,000). */
    static final int PEERS_PER_PAGE = 500;
    /**
     * The most listed peers we gather: more than a person can browse, and anyone beyond them is
     * still reached by id (connect-by-id). Keeps a directory of 100,000s from costing us 100s of requests.
     */
    static final int MAX_LISTED_PEERS = 2_000;
    /** Pages asked for at most, even if a broken service's pages come short: twice what an honest one needs. */
    private static final int MAX_PAGES = 2 * MAX_LISTED_PEERS / PEERS_PER_PAGE;

    private final URI service;
    private final RendezvousHttp http;
    private final DhtTimings timings;
    private final PublicIdentity self;
    private final SignedRequest.Signer signer;
    private final String name;
    private final boolean listed;
    /** Held while a registration changes the session, so two threads that find it gone open only one. */
    private final Object sessionLock = new Object();
    /** Null until a signed registration opened one, and after the service refused it. */
    private volatile Session session;
    /** The service's id from {@code GET /v1/info}, which every request is signed for. */
    private volatile String serviceId;
    /** Whether we poll with {@code wait=0} because the service held no long poll for us. */
    private volatile boolean shortPolling;
    /** While {@link #shortPolling}: when to try a long poll again ({@link System#nanoTime()}). */
    private volatile long longPollAgainAt;
    /** Whether {@code GET /v1/info} said the service hands out TURN credentials ({@code "turn": true}). */
    private volatile boolean offersTurn;

    AuthenticatedApi(URI service, RendezvousHttp http, DhtTimings timings, PublicIdentity self,
            SignedRequest.Signer signer, String name, boolean listed, String serviceId) {
        this.service = service;
        this.serviceId = serviceId;
        this.http = http;
        this.timings = timings;
        this.self = self;
        this.signer = signer;
        this.name = name;
        this.listed = listed;
    }

    @Override
    public String name() {
        return "authenticated";
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    @Override
    public String ourId() {
        return self.key();
    }

    boolean listed() {
        return listed;
    }

    /** The service's id as its {@code /v1/info} gave it last (after a restart it has another). */
    void serviceId(String id) {
        serviceId = id;
    }

    boolean offersTurn() {
        return offersTurn;
    }

    void offersTurn(boolean offers) {
        offersTurn = offers;
    }

    /** {@code GET /v1/turn}: the service's STUN/TURN servers with short-lived credentials for us. */
    IssuedIceServers turn() throws IOException, InterruptedException {
        Session current = session;
        RendezvousHttp.Reply reply = asUs("GET", TURN_ROUTE, null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES, current);
        if (reply.status() == 401 && current != null) {
            // The service forgot the session: register again (a new one) and ask once more.
            reply = asUs("GET", TURN_ROUTE, null, timings.requestTimeout(), RendezvousHttp.SMALL_ANSWER_BYTES,
                    renewed(current));
        }
        if (!reply.ok()) {
            throw reply.refusal("Fetching TURN credentials");
        }
        return IssuedIceServers.parse(reply.json(), service);
    }

    /** Whether we poll with {@code wait=0} for now, the service having held no long poll for us. */
    boolean shortPolling() {
        return shortPolling;
    }

    /**
     * The service's id from {@code GET /v1/info}, or null if its answer names none (a service from
     * before requests were bound to it, which refuses nothing we could sign).
     */
    static String serviceId(JsonObject info) {
        String id = JsonFields.string(info, "service");
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}") ? id : null;
    }

    @Override
    public Duration register() throws IOException, InterruptedException {
        synchronized (sessionLock) {
            Session current = session;
            if (current != null) {
                // A renewal: no new key, so no signature needed.
                RendezvousHttp.Reply reply = asUs("POST", "/v1/register", registration(null), timings.requestTimeout(),
                        RendezvousHttp.SMALL_ANSWER_BYTES, current);
                if (reply.ok()) {
                    return renewalInterval(reply);
                }
                if (reply.status() != 401) {
                    throw reply.refusal("Registering");
                }
                LOG.log(Level.INFO, "{0}: our session was refused ({1}); registering again, signed", service,
                        reply.reason());
                session = null;
            }
            return registerSigned();
        }
    }

    /** Registers with a signature and a new session key; keeps the session the service opens, if it does. */
    private Duration registerSigned() throws IOException, InterruptedException {
        KeyPair sessionKeys;
        try {
            sessionKeys = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java platform since 11", e);
        }
        String sessionKey = base64(rawKey(sessionKeys.getPublic()));
        RendezvousHttp.Reply reply = asUs("POST", "/v1/register", registration(sessionKey), timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES, null);
        if (!reply.ok()) {
            throw reply.refusal("Registering");
        }
        session = reply.json() instanceof JsonObject o ? opened(o.get("session"), sessionKeys.getPrivate(), sessionKey)
                : null;
        return renewalInterval(reply);
    }

    private byte[] registration(String sessionKey) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("listed", listed);
        if (sessionKey != null) {
            body.addProperty("sessionKey", sessionKey);
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Duration renewalInterval(RendezvousHttp.Reply reply) throws IOException {
        long expires = reply.json() instanceof JsonObject o ? JsonFields.number(o, "expiresInMs") : 0;
        // Well before the expiry the service announces, so one lost request does not drop us.
        Duration half = expires > 0 ? Duration.ofMillis(expires / 2) : timings.reregisterInterval();
        return half.compareTo(timings.reregisterInterval()) < 0 ? half : timings.reregisterInterval();
    }

    /**
     * The session the service opened ({@code {"id", "serverKey"}}), or null if it opened none (a
     * service without sessions) or its answer is unusable: then we sign every request.
     */
    private Session opened(JsonElement answer, PrivateKey ours, String sessionKey) {
        if (!(answer instanceof JsonObject o)) {
            return null;
        }
        String id = JsonFields.string(o, "id");
        String serverKey = JsonFields.string(o, "serverKey");
        try {
            if (id == null || !id.matches("[A-Za-z0-9_-]{22}") || serverKey == null
                    || !serverKey.matches("[A-Za-z0-9_-]{43}")) {
                throw new IllegalArgumentException("not a session id and a 32-byte key in base64url");
            }
            byte[] raw = Base64.getUrlDecoder().decode(serverKey);
            byte[] der = Arrays.copyOf(X25519_X509_HEADER, X25519_X509_HEADER.length + raw.length);
            System.arraycopy(raw, 0, der, X25519_X509_HEADER.length, raw.length);
            PublicKey theirs = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(der));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(ours);
            agreement.doPhase(theirs, true);
            byte[] shared = agreement.generateSecret();
            return new Session(id, SessionRequest.macKey(shared, ourId(), id, sessionKey, serverKey));
        } catch (GeneralSecurityException | IdentityException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "{0}: the session the service opened is unusable ({1}); signing every request",
                    service, e.getMessage());
            return null;
        }
    }

    @Override
    public void unregister() throws IOException, InterruptedException {
        Session current = session;
        RendezvousHttp.Reply reply = asUs("DELETE", "/v1/register", null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES, current);
        if (reply.status() == 401 && current != null) {
            // The session is gone already (with the registration, most likely): sign instead.
            reply = asUs("DELETE", "/v1/register", null, timings.requestTimeout(), RendezvousHttp.SMALL_ANSWER_BYTES,
                    null);
        }
        session = null;
        // 409: not registered (any more), which is what we wanted.
        if (!reply.ok() && reply.status() != 409) {
            throw reply.refusal("Unregistering");
        }
    }

    /**
     * The signals queued for us. A refused session is forgotten and the refusal thrown: the link
     * then registers again (signed) as after any refused fetch, and knows it did.
     */
    @Override
    public List<Signal> fetch() throws IOException, InterruptedException {
        boolean poll = shortPolling && System.nanoTime() - longPollAgainAt < 0;
        int wait = poll ? 0 : timings.longPollSeconds();
        Session current = session;
        RendezvousHttp.Reply reply = fetch(wait, current);
        if (wait > 0 && (reply.status() == 503 || reply.status() == 429)) {
            // The service holds no long poll for us now (its pool, or our address's share, is full):
            // poll instead, so that signals still arrive within a poll interval.
            if (!shortPolling) {
                LOG.log(Level.INFO, "{0}: no long poll for us ({1}); polling every {2} ms until one is held again",
                        service, reply.reason(), timings.legacyPollInterval().toMillis());
            }
            shortPolling = true;
            longPollAgainAt = System.nanoTime() + LONG_POLL_RETRY.toNanos();
            reply = fetch(0, current);
        } else if (wait > 0 && reply.ok() && shortPolling) {
            LOG.log(Level.INFO, "{0}: long polls are held again", service);
            shortPolling = false;
        }
        if (!reply.ok()) {
            if (reply.status() == 401 && current != null) {
                forget(current);
            }
            throw reply.refusal("Fetching signals");
        }
        return JsonFields.signals(reply.json(), service);
    }

    private RendezvousHttp.Reply fetch(int wait, Session current) throws IOException, InterruptedException {
        return asUs("GET", "/v1/signals?wait=" + wait, null, timings.requestTimeout().plusSeconds(wait),
                RendezvousHttp.LARGE_ANSWER_BYTES, current);
    }

    @Override
    public Duration pauseAfterFetch() {
        return shortPolling ? timings.legacyPollInterval() : Duration.ZERO;
    }

    @Override
    public boolean carries(String type) {
        return true;
    }

    @Override
    public void send(String to, String type, String payload) throws IOException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("to", to);
        body.addProperty("type", type);
        body.addProperty("payload", payload);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Session current = session;
        RendezvousHttp.Reply reply = asUs("POST", "/v1/signal", bytes, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES, current);
        if (reply.status() == 401 && current != null) {
            // The service forgot the session: register again (a new one) and send once more.
            reply = asUs("POST", "/v1/signal", bytes, timings.requestTimeout(), RendezvousHttp.SMALL_ANSWER_BYTES,
                    renewed(current));
        }
        if (!reply.ok()) {
            throw reply.refusal("Sending the " + type);
        }
    }

    /** The listed peers in id order, page by page, up to {@link #MAX_LISTED_PEERS}. */
    @Override
    public List<ServicePeer> peers() throws IOException, InterruptedException {
        List<ServicePeer> peers = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < MAX_PAGES && peers.size() < MAX_LISTED_PEERS; pages++) {
            String route = "/v1/peers?limit=" + PEERS_PER_PAGE
                    + (after == null ? "" : "&after=" + Text.pathSegment(after));
            RendezvousHttp.Reply reply = http.get(route, null, timings.requestTimeout(), RendezvousHttp.LARGE_ANSWER_BYTES);
            if (!reply.ok()) {
                throw reply.refusal("Listing peers");
            }
            JsonFields.PeerPage page = JsonFields.peerPage(reply.json(), service);
            peers.addAll(page.peers());
            // A next that does not move forward would ask for the same page again.
            if (page.next() == null || after != null && page.next().compareTo(after) <= 0) {
                break;
            }
            after = page.next();
        }
        return peers.size() > MAX_LISTED_PEERS ? List.copyOf(peers.subList(0, MAX_LISTED_PEERS)) : peers;
    }

    @Override
    public Optional<ServicePeer> peer(String id) throws IOException, InterruptedException {
        RendezvousHttp.Reply reply = http.get("/v1/peers/" + Text.pathSegment(id), null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw reply.refusal("Looking the peer up");
        }
        return reply.json() instanceof JsonObject o ? Optional.ofNullable(JsonFields.peer(o, "id", service, true))
                : Optional.empty();
    }

    /** Forgets a session the service refused, unless another thread has replaced it already. */
    private void forget(Session refused) {
        synchronized (sessionLock) {
            if (session == refused) {
                session = null;
            }
        }
    }

    /**
     * The session after {@code refused} was refused: a new one from a signed registration, or the
     * one another thread opened meanwhile (null if the service opens none).
     */
    private Session renewed(Session refused) throws IOException, InterruptedException {
        synchronized (sessionLock) {
            if (session == refused) {
                session = null;
                registerSigned();
            }
            return session;
        }
    }

    /**
     * A request that acts as us: under {@code session} if given, else signed with the identity key,
     * for the service's id. Each attempt gets a fresh timestamp and nonce. A refused (401) signed
     * request is sent once more, signed anew, if the service's id changed (it restarted); a session
     * does not outlive a restart, so its refusal is the caller's to handle.
     */
    private RendezvousHttp.Reply asUs(String method, String route, byte[] body, Duration timeout, int maxBytes,
            Session session) throws IOException, InterruptedException {
        String signedFor = serviceId;
        RendezvousHttp.Reply reply = http.send(method, route, body, authorization(method, route, body, session,
                signedFor), timeout, maxBytes);
        if (reply.status() == 401 && relearnServiceId(signedFor) && session == null) {
            reply = http.send(method, route, body, authorization(method, route, body, null, serviceId), timeout,
                    maxBytes);
        }
        return reply;
    }

    private Supplier<String> authorization(String method, String route, byte[] body, Session session,
            String service) {
        String pathAndQuery = http.pathAndQuery(route);
        return session == null
                ? () -> SignedRequest.sign(self, signer, service, method, pathAndQuery, body).toHeader()
                : () -> SessionRequest.of(session.id(), session.macKey(), service, method, pathAndQuery, body,
                        System.currentTimeMillis(), nonce()).toHeader();
    }

    /** Reads the service's id again; true if it is no longer {@code signedFor} (the service restarted). */
    private boolean relearnServiceId(String signedFor) throws IOException, InterruptedException {
        RendezvousHttp.Reply info = http.get(INFO_ROUTE, null, timings.requestTimeout(),
                RendezvousHttp.SMALL_ANSWER_BYTES);
        String id = info.ok() && info.json() instanceof JsonObject o ? serviceId(o) : null;
        if (id == null || id.equals(signedFor)) {
            return false;
        }
        LOG.log(Level.INFO, "{0}: the service has a new id (it restarted); signing for it", service);
        serviceId = id;
        return true;
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return base64(bytes);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The raw 32-byte X25519 public key: the end of its X.509 encoding. */
    private static byte[] rawKey(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }
}
