package org.p2pchat.rendezvous.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.p2pchat.core.identity.IdentityException;
import org.p2pchat.rendezvous.auth.SessionRequest;

import com.google.gson.JsonElement;

/**
 * Opens sessions: the service's X25519 key pair, made once per start, agrees with the key a
 * signed registration sends ({@code sessionKey}). Bouncy Castle's RFC 7748 code rather than the
 * JDK's provider, as for Ed25519 ({@link FastSignatureCheck}): it takes raw keys and is faster.
 */
final class SessionKeys {

    private static final Pattern RAW_KEY = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
    /** The service's public key as answered, base64url of the raw 32 bytes. */
    private final String serverKey;

    SessionKeys() {
        X25519.generatePrivateKey(random, privateKey);
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        serverKey = BASE64URL.encodeToString(publicKey);
    }

    String serverKey() {
        return serverKey;
    }

    /**
     * A new session for {@code identityKey} (the verified signer of the registration) with the
     * client's X25519 public key.
     *
     * @throws ApiException 400 if {@code sessionKey} is not base64url of 32 bytes, or a low-order point
     */
    Session open(String identityKey, JsonElement sessionKey) throws ApiException {
        if (!sessionKey.isJsonPrimitive() || !sessionKey.getAsJsonPrimitive().isString()) {
            throw new ApiException(400, "sessionKey must be a JSON string (base64url without padding of a 32-byte"
                    + " X25519 public key), was " + Json.kind(sessionKey));
        }
        String text = sessionKey.getAsString();
        if (!RAW_KEY.matcher(text).matches()) {
            throw new ApiException(400, "sessionKey must be base64url without padding of a 32-byte X25519 public key"
                    + " (43 characters), was \"" + Json.excerpt(text) + "\"");
        }
        byte[] clientKey = Base64.getUrlDecoder().decode(text);
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, clientKey, 0, shared, 0)) {
            throw lowOrder();
        }
        byte[] id = new byte[SessionRequest.ID_BYTES];
        random.nextBytes(id);
        String sessionId = BASE64URL.encodeToString(id);
        try {
            return new Session(sessionId, identityKey,
                    SessionRequest.macKey(shared, identityKey, sessionId, text, serverKey));
        } catch (IdentityException e) {
            throw lowOrder();
        }
    }

    private static ApiException lowOrder() {
        return new ApiException(400, "sessionKey is a low-order X25519 point (the agreement is all zeros);"
                + " send a freshly generated X25519 public key");
    }
}
