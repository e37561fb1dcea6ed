package org.p2pchat.rendezvous.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.p2pchat.core.identity.IdentityException;

/**
 * The authentication of one request to a rendezvous service's authenticated API under a session
 * key, carried in the {@code Authorization} header as
 * {@code P2PChat-Session id=<sessionId>, ts=<ms>, nonce=<base64url>, mac=<base64url>}.
 *
 * <p>A session is opened by a registration signed with the identity key ({@link SignedRequest})
 * that carries an X25519 public key; both sides agree on a shared secret and derive the session's
 * MAC key from it with {@link #macKey}. The MAC (HMAC-SHA256) covers the same bytes as the
 * Ed25519 signature ({@link SignedRequest#signedBytes}): the service's id, method, path with
 * query, timestamp, nonce and body. Clients and the service both use this class, so the header and the derivation have
 * one definition.
 *
 * @param sessionId       the session's id as the service gave it, base64url of 16 bytes
 * @param timestampMillis when the request was made, milliseconds since the epoch
 * @param nonce           random bytes, base64url without padding, at most 64 characters
 * @param mac             HMAC-SHA256 with the session's MAC key, base64url without padding
 */
public record SessionRequest(String sessionId, long timestampMillis, String nonce, String mac) {

    /** The authorization scheme name. */
    public static final String SCHEME = "P2PChat-Session";
    /** Bytes of a raw X25519 public key, and of a shared secret. */
    public static final int KEY_BYTES = 32;
    /** Random bytes of a session id. */
    public static final int ID_BYTES = 16;

    private static final String DERIVATION_CONTEXT = "p2pchat-rendezvous-v1 session";
    private static final int MAX_HEADER_CHARS = 256;
    private static final int HMAC_BLOCK = 64;
    /** Unpadded base64url lengths of a 16-byte id and a 32-byte MAC. */
    private static final int ID_CHARS = 22;
    private static final int MAC_CHARS = 43;

    public SessionRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(mac, "mac");
    }

    /** Whether an {@code Authorization} header value uses this scheme (rather than {@link SignedRequest}'s). */
    public static boolean isSessionHeader(String header) {
        return header != null && header.strip().startsWith(SCHEME + " ");
    }

    /**
     * The session's MAC key: HMAC-SHA256 keyed with the X25519 shared secret over the context, the
     * peer's identity key, the session id and both X25519 public keys, each as sent (base64url).
     *
     * @param sharedSecret X25519(own private key, other's public key), 32 bytes
     * @throws IdentityException if the shared secret is all zeros (the other key was a low-order point)
     */
    public static byte[] macKey(byte[] sharedSecret, String identityKey, String sessionId, String sessionKey,
            String serverKey) throws IdentityException {
        if (sharedSecret.length != KEY_BYTES) {
            throw new IdentityException("an X25519 shared secret has " + KEY_BYTES + " bytes, this one "
                    + sharedSecret.length);
        }
        int bits = 0;
        for (byte b : sharedSecret) {
            bits |= b;
        }
        if (bits == 0) {
            throw new IdentityException("the X25519 agreement is all zeros: the key is a low-order point");
        }
        String context = DERIVATION_CONTEXT + "\n" + identityKey + "\n" + sessionId + "\n" + sessionKey + "\n"
                + serverKey;
        return hmac(sharedSecret, context.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The MAC of a request with the session's MAC key, base64url without padding.
     *
     * @param service the id of the service the request is meant for ({@code GET /v1/info})
     */
    public static String mac(byte[] macKey, String service, String method, String pathAndQuery, long timestampMillis,
            String nonce, byte[] body) {
        byte[] mac = hmac(macKey, SignedRequest.signedBytes(service, method, pathAndQuery, timestampMillis, nonce,
                body));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    /** A request made now with a fresh nonce, ready for {@link #toHeader()}. */
    public static SessionRequest of(String sessionId, byte[] macKey, String service, String method,
            String pathAndQuery, byte[] body, long timestampMillis, String nonce) {
        return new SessionRequest(sessionId, timestampMillis, nonce,
                mac(macKey, service, method, pathAndQuery, timestampMillis, nonce, body));
    }

    /**
     * Whether the MAC is this session key's over this service, method, path and body (compared in
     * constant time).
     */
    public boolean verifies(byte[] macKey, String service, String method, String pathAndQuery, byte[] body) {
        byte[] expected = mac(macKey, service, method, pathAndQuery, timestampMillis, nonce, body)
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code Authorization} header value. */
    public String toHeader() {
        return SCHEME + " id=" + sessionId + ", ts=" + timestampMillis + ", nonce=" + nonce + ", mac=" + mac;
    }

    /**
     * Reads an {@code Authorization} header value of this scheme.
     *
     * @throws IdentityException saying what is wrong with it
     */
    public static SessionRequest parseHeader(String header) throws IdentityException {
        AuthorizationFields fields = AuthorizationFields.parse(header, SCHEME, MAX_HEADER_CHARS,
                List.of("id", "ts", "nonce", "mac"));
        String id = fields.get("id");
        if (id.length() != ID_CHARS || !AuthorizationFields.BASE64URL.matcher(id).matches()) {
            throw new IdentityException("Authorization id= must be a session id (" + ID_CHARS
                    + " base64url characters) from a registration");
        }
        long ts = fields.timestamp();
        String nonce = fields.nonce();
        String mac = fields.get("mac");
        if (mac.length() != MAC_CHARS || !AuthorizationFields.BASE64URL.matcher(mac).matches()) {
            throw new IdentityException("Authorization mac= must be an HMAC-SHA256 (" + MAC_CHARS
                    + " base64url characters)");
        }
        return new SessionRequest(id, ts, nonce, mac);
    }


    /**
     * HMAC-SHA256 (RFC 2104) on {@link MessageDigest}, so that the bundle needs no javax.crypto
     * import; keys here are 32 bytes, less than a block, so they are never hashed first.
     */
    static byte[] hmac(byte[] key, byte[] data) {
        if (key.length > HMAC_BLOCK) {
            throw new IllegalArgumentException("HMAC keys here are at most " + HMAC_BLOCK + " bytes");
        }
        byte[] inner = new byte[HMAC_BLOCK];
        byte[] outer = new byte[HMAC_BLOCK];
        for (int i = 0; i < HMAC_BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(inner);
            byte[] innerHash = sha256.digest(data);
            sha256.update(outer);
            return sha256.digest(innerHash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
