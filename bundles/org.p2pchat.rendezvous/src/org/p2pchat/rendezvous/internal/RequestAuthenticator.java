package org.p2pchat.rendezvous.internal;

import java.util.List;

import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.identity.SignedRequest;
import org.p2pchat.rendezvous.RendezvousLimits;

/**
 * Checks the {@code Authorization} header of a {@code /v1} request: the Ed25519 signature over the
 * request, the time window, and that the nonce is new for the key. Cheap checks come first and the
 * nonce is recorded last, so requests that fail verification cannot fill the nonce memory.
 */
final class RequestAuthenticator {

    private final long maxSkewMillis;
    private final NonceMemory nonces;
    private final RateLimiter perKey;

    RequestAuthenticator(RendezvousLimits limits, long now) {
        this.maxSkewMillis = limits.maxClockSkewMillis();
        this.nonces = new NonceMemory(limits.maxClockSkewMillis(), limits.maxRememberedNonces());
        this.perKey = new RateLimiter(limits.requestsPerKeyPerSecond(), limits.requestBurstPerKey(),
                limits.maxTrackedKeys(), now);
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the request's {@code Authorization} header values (null if none)
     * @return the signer's identity key in its canonical form: the peer this request acts as
     * @throws ApiException 401 if the request is not authentic, 429 if its key sends too fast, 503
     *                      if the nonce memory is full
     */
    String authenticate(String method, String pathAndQuery, List<String> authorization, byte[] body, long now)
            throws ApiException {
        if (authorization != null && authorization.size() > 1) {
            throw new ApiException(401, "the request has more than one Authorization header");
        }
        SignedRequest request;
        try {
            request = SignedRequest.parseHeader(authorization == null ? null : authorization.get(0));
        } catch (IdentityException e) {
            throw new ApiException(401, e.getMessage());
        }
        String key = request.identity().key();
        // Base64 and DER allow several spellings of one key; one peer must have one address, and
        // the nonce memory must not be dodged by respelling the key of a recorded request.
        if (!PublicIdentity.of(request.identity().publicKey()).key().equals(key)) {
            throw new ApiException(401, "Authorization key= is not in canonical form (base64url without padding"
                    + " of the key's X.509 encoding)");
        }
        long ts = request.timestampMillis();
        if (ts < now - maxSkewMillis || ts > now + maxSkewMillis) {
            throw new ApiException(401, "Authorization ts=" + ts + " is more than " + maxSkewMillis / 1000
                    + " s from the service's clock (" + now + " ms since the epoch); check the system clock");
        }
        if (!FastSignatureCheck.verifies(request, method, pathAndQuery, body)) {
            throw new ApiException(401, "the signature does not match this request (method, path with query, ts,"
                    + " nonce and body) for that key");
        }
        if (!perKey.tryAcquire(key, now)) {
            throw new ApiException(429, "too many requests from this identity key (limit " + perKey.rate()
                    + " per second, burst " + perKey.burst() + "); retry after 1 s");
        }
        switch (nonces.remember(key, request.nonce(), ts)) {
            case REPLAY:
                throw new ApiException(401, "replayed request: this nonce was already used with this key;"
                        + " sign every request with a fresh nonce");
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
}
