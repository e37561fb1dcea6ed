package org.p2pchat.rendezvous.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.rendezvous.auth.SessionRequest;
import org.p2pchat.rendezvous.auth.SignedRequest;
import org.p2pchat.rendezvous.RendezvousLimits;

/**
 * Checks the {@code Authorization} header of a {@code /v1} request: that it is meant for this
 * service, the Ed25519 signature over the request ({@link SignedRequest}) or the MAC of a live
 * session ({@link SessionRequest}), the time window, that the key is registered (unless the
 * request registers it), and that the nonce is new for the identity key. Cheap checks come first
 * and the nonce is recorded last, so requests that fail verification, and requests of keys that
 * are not registered, cannot fill the nonce memory. Both schemes share the per-key rate limit and
 * the nonce memory.
 *
 * <p>The service's id, made at random when it starts and published in {@code GET /v1/info}, is
 * part of every signed and MAC'd request: a request made for one service is refused by any other,
 * and by the same service after a restart (whose nonce memory starts empty).
 */
final class RequestAuthenticator {

    /** The live sessions, by id. */
    interface Sessions {
        /** The session with this id if its registration is alive at {@code now}; null otherwise. */
        Session live(String sessionId, long now);
    }

    /** The registered peers. */
    interface Registrations {
        /** Whether the key is registered and its registration alive at {@code now}. */
        boolean isRegistered(String key, long now);
    }

    /** Random bytes of a service id: enough that two services never share one. */
    private static final int SERVICE_ID_BYTES = 16;

    /**
     * The peer a request acts as.
     *
     * @param key       the identity key, in its canonical form
     * @param bySession whether a session MAC authenticated it (rather than an Ed25519 signature)
     */
    record Caller(String key, boolean bySession) {
    }

    private final long maxSkewMillis;
    private final NonceMemory nonces;
    private final RateLimiter perKey;
    private final Sessions sessions;
    private final Registrations registrations;
    private final String serviceId;
    private final AtomicLong signatureChecks = new AtomicLong();

    RequestAuthenticator(RendezvousLimits limits, long now, Sessions sessions, Registrations registrations) {
        this.sessions = sessions;
        this.registrations = registrations;
        byte[] id = new byte[SERVICE_ID_BYTES];
        new SecureRandom().nextBytes(id);
        this.serviceId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        this.maxSkewMillis = limits.maxClockSkewMillis();
        this.nonces = new NonceMemory(limits.maxClockSkewMillis(), limits.maxRememberedNonces());
        this.perKey = new RateLimiter(limits.requestsPerKeyPerSecond(), limits.requestBurstPerKey(),
                limits.maxTrackedKeys(), now);
    }

    /** This service's id, which every request must be signed for ({@code GET /v1/info}). */
    String serviceId() {
        return serviceId;
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the request's {@code Authorization} header values (null if none)
     * @param registering   whether the request is a registration (the only request an unregistered key may make)
     * @return the peer this request acts as: the signer, or the session's peer
     * @throws ApiException 401 if the request is not authentic or not meant for this service, 409 if
     *                      its key is not registered, 429 if its key sends too fast, 503 if the
     *                      nonce memory is full
     */
    Caller authenticate(String method, String pathAndQuery, List<String> authorization, byte[] body, long now,
            boolean registering) throws ApiException {
        if (authorization != null && authorization.size() > 1) {
            throw new ApiException(401, "the request has more than one Authorization header");
        }
        String header = authorization == null ? null : authorization.get(0);
        if (SessionRequest.isSessionHeader(header)) {
            return new Caller(bySession(method, pathAndQuery, header, body, now), true);
        }
        return new Caller(bySignature(method, pathAndQuery, header, body, now, registering), false);
    }

    private String bySession(String method, String pathAndQuery, String header, byte[] body, long now)
            throws ApiException {
        SessionRequest request;
        try {
            request = SessionRequest.parseHeader(header);
        } catch (IdentityException e) {
            throw new ApiException(401, e.getMessage());
        }
        Session session = sessions.live(request.sessionId(), now);
        if (session == null) {
            throw new ApiException(401, "unknown or expired session: register again with a signed request");
        }
        long ts = request.timestampMillis();
        checkWindow(ts, now);
        if (!request.verifies(session.macKey(), serviceId, method, pathAndQuery, body)) {
            throw new ApiException(401, "the MAC does not match this request (service id, method, path with query,"
                    + " ts, nonce and body) for that session");
        }
        return accept(session.identityKey(), request.nonce(), ts, now);
    }

    private String bySignature(String method, String pathAndQuery, String header, byte[] body, long now,
            boolean registering) throws ApiException {
        SignedRequest request;
        try {
            request = SignedRequest.parseHeader(header);
        } catch (IdentityException e) {
            boolean otherScheme = header != null && !header.isBlank()
                    && !header.strip().startsWith(SignedRequest.SCHEME + " ");
            throw new ApiException(401, e.getMessage() + (otherScheme ? " (or " + SessionRequest.SCHEME
                    + " under a session opened by a signed registration)" : ""));
        }
        String key = request.identity().key();
        // Base64 and DER allow several spellings of one key; one peer must have one address, and
        // the nonce memory must not be dodged by respelling the key of a recorded request.
        if (!PublicIdentity.of(request.identity().publicKey()).key().equals(key)) {
            throw new ApiException(401, "Authorization key= is not in canonical form (base64url without padding"
                    + " of the key's X.509 encoding)");
        }
        if (!request.service().equals(serviceId)) {
            throw new ApiException(401, "this request was signed for another service (svc=" + Json.excerpt(
                    request.service()) + "): this service's id is " + serviceId + " (GET /v1/info); sign it again"
                    + " for this service");
        }
        long ts = request.timestampMillis();
        checkWindow(ts, now);
        // Before the signature check (which costs ~100 µs) and the nonce memory: a key that is not
        // registered can only register. Whether a key is registered is public (GET /v1/peers/<id>).
        if (!registering && !registrations.isRegistered(key, now)) {
            throw new ApiException(409, "the signing key is not registered (or its registration expired);"
                    + " POST /v1/register first");
        }
        signatureChecks.incrementAndGet();
        if (!FastSignatureCheck.verifies(request, method, pathAndQuery, body)) {
            throw new ApiException(401, "the signature does not match this request (service id, method, path with"
                    + " query, ts, nonce and body) for that key");
        }
        return accept(key, request.nonce(), ts, now);
    }

    private void checkWindow(long ts, long now) throws ApiException {
        if (ts < now - maxSkewMillis || ts > now + maxSkewMillis) {
            throw new ApiException(401, "Authorization ts=" + ts + " is more than " + maxSkewMillis / 1000
                    + " s from the service's clock (" + now + " ms since the epoch); check the system clock");
        }
    }

    /** The last checks of an authentic request: the key's rate, then its nonce (recorded only now). */
    private String accept(String key, String nonce, long ts, long now) throws ApiException {
        if (!perKey.tryAcquire(key, now)) {
            throw new ApiException(429, "too many requests from this identity key (limit " + perKey.rate()
                    + " per second, burst " + perKey.burst() + "); retry after 1 s");
        }
        switch (nonces.remember(key, nonce, ts)) {
            case REPLAY:
                throw new ApiException(401, "replayed request: this nonce was already used with this key;"
                        + " give every request a fresh nonce");
            case TOO_OLD:
                throw new ApiException(401, "Authorization ts=" + ts + " is older than the service still"
                        + " remembers nonces for; sign the request again");
            case FULL:
                throw new ApiException(503, "the service is remembering its maximum of nonces; retry later");
            default:
                return key;
        }
    }

    void sweep(long now) {
        nonces.forget(now);
        perKey.sweep(now);
    }

    int rememberedNonces() {
        return nonces.size();
    }

    /** Ed25519 signatures checked so far (requests that reached the check). */
    long signatureChecks() {
        return signatureChecks.get();
    }
}
