package org.p2pchat.rendezvous.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.p2pchat.rendezvous.TurnService;

/**
 * Issues the short-lived TURN credentials of {@code GET /v1/turn} (the TURN REST scheme coturn
 * checks with {@code use-auth-secret}): user name {@code <expiry, Unix seconds>:<identity key>}, so
 * that every allocation in coturn's log names the identity it was issued to, and password
 * base64(HMAC-SHA1(secret, user name)). Issuing is rate-limited per identity key and per client
 * address apart from the API's own limits: credentials are worth more than a directory page, and
 * throwaway keys from one address share that address's budget.
 */
final class TurnCredentials {

    private final TurnService turn;
    private final SecretKeySpec key;
    private final RateLimiter perKey;
    private final RateLimiter perAddress;

    TurnCredentials(TurnService turn, int maxTrackedKeys, int maxTrackedAddresses, long now) {
        this.turn = turn;
        this.key = new SecretKeySpec(turn.secret(), "HmacSHA1");
        this.perKey = new RateLimiter(1.0 / TurnService.KEY_INTERVAL_SECONDS, TurnService.KEY_BURST, maxTrackedKeys,
                now);
        this.perAddress = new RateLimiter(1.0 / TurnService.ADDRESS_INTERVAL_SECONDS, TurnService.ADDRESS_BURST,
                maxTrackedAddresses, now);
    }

    /**
     * The answer for the authenticated identity {@code identityKey} asking from {@code address}.
     *
     * @throws ApiException 429 if that key or address asked too often
     */
    byte[] issue(String identityKey, InetAddress address, long nowMillis) throws ApiException {
        if (!perKey.tryAcquire(identityKey, nowMillis)) {
            throw new ApiException(429, "too many TURN credentials asked for by this identity key (burst "
                    + TurnService.KEY_BURST + ", then one per " + TurnService.KEY_INTERVAL_SECONDS
                    + " s); they are valid for " + turn.ttlSeconds() + " s: reuse them");
        }
        if (!perAddress.tryAcquire(address, nowMillis)) {
            throw new ApiException(429, "too many TURN credentials asked for from this address (burst "
                    + TurnService.ADDRESS_BURST + ", then one per " + TurnService.ADDRESS_INTERVAL_SECONDS
                    + " s); they are valid for " + turn.ttlSeconds() + " s: reuse them");
        }
        long expiry = nowMillis / 1000 + turn.ttlSeconds();
        String username = expiry + ":" + identityKey;
        String credential = password(username);
        return Json.write(out -> {
            out.beginObject().name("iceServers").beginArray().beginObject().name("urls").beginArray();
            for (String url : turn.urls()) {
                out.value(url);
            }
            out.endArray().name("username").value(username).name("credential").value(credential).endObject()
                    .endArray().name("ttl").value(turn.ttlSeconds()).endObject();
        });
    }

    private String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }

    void sweep(long now) {
        perKey.sweep(now);
        perAddress.sweep(now);
    }
}
